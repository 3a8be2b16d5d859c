using CapMap.Mapping;

namespace CapMap.TestWriter;

/// <summary>
/// The power-loss harness's recorder: at every flush of the file (msync, fsync, fdatasync: <see cref="FlushPoints"/>)
/// it appends to a log what the file looks like then, as the pages that changed since the previous flush. The test
/// replays the log: whatever the writer did not flush may or may not have reached the disk when the power went.
/// </summary>
/// <remarks>
/// Log record per flush: int64 file length, int64 flushed offset, int64 flushed length, byte whole file (fsync or
/// fdatasync), byte shifted (a collapse-range may have happened since the previous flush), int32 changed pages, then each page as int64 index and <see cref="PageBytes"/> bytes (zeros past the
/// end of the file). The file is read with read(2), which sees the mapping's stores (one page cache).
/// </remarks>
internal sealed class FlushRecorder
{
    public const int PageBytes = 4096;

    private readonly string _path;
    private readonly BinaryWriter _log;
    private byte[] _previous = [];

    public FlushRecorder(string path, string logPath)
    {
        _path = Path.GetFullPath(path);
        _log = new BinaryWriter(File.Create(logPath));
    }

    private bool _shiftAnnounced;

    /// <summary>
    /// Listens to the core's crash points for collapse-range and insert-range: each moves the file's content as one
    /// metadata step (all or nothing at a power cut, never page by page), so the next flush is logged as one that
    /// shifted the file.
    /// </summary>
    public void Step(string step)
    {
        if (step is "collapse announced" or "insert announced" or "child room insert announced") _shiftAnnounced = true;
    }

    /// <summary>Flushes recorded so far; the child prints it with each line, so the test knows what was durable when.</summary>
    public int Count { get; private set; }

    public void Record(FlushPoint flush)
    {
        if (flush.Path != _path) return;
        var now = File.ReadAllBytes(_path);
        var changed = new List<long>();
        long pages = (Math.Max(now.Length, _previous.Length) + PageBytes - 1) / PageBytes;
        for (long page = 0; page < pages; page++)
            if (!Page(now, page).SequenceEqual(Page(_previous, page))) changed.Add(page);
        _log.Write((long)now.Length);
        _log.Write(flush.Offset);
        _log.Write(flush.Length);
        _log.Write(flush.WholeFile);
        _log.Write(_shiftAnnounced);
        _shiftAnnounced = false;
        _log.Write(changed.Count);
        Span<byte> padded = stackalloc byte[PageBytes];
        foreach (long page in changed)
        {
            _log.Write(page);
            padded.Clear();
            Page(now, page).CopyTo(padded);
            _log.Write(padded);
        }
        _log.Flush();
        _previous = now;
        Count++;
        Console.Out.WriteLine($"flush {Count}");
        Console.Out.Flush();
    }

    private static ReadOnlySpan<byte> Page(byte[] file, long page)
    {
        long start = page * PageBytes;
        if (start >= file.Length) return [];
        return file.AsSpan((int)start, (int)Math.Min(PageBytes, file.Length - start));
    }
}
