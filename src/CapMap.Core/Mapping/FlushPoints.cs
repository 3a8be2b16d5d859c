namespace CapMap.Mapping;

/// <summary>
/// The instants a <see cref="MappedFile"/> made bytes durable (msync, fsync, fdatasync). In production nothing
/// listens. The power-loss test's child writer (tests/TestWriter) records the file at each one, and the test
/// replays only what was flushed, as a power cut would leave it.
/// </summary>
internal static class FlushPoints
{
    /// <summary>Test-only listener (set by the child writer through InternalsVisibleTo).</summary>
    internal static Action<FlushPoint>? Listener;

    /// <summary>Reports a finished flush of a range (<paramref name="wholeFile"/>: fsync or fdatasync made every written page durable).</summary>
    public static void Reached(string path, long offset, long length, bool wholeFile) =>
        Listener?.Invoke(new FlushPoint(path, offset, length, wholeFile));
}
