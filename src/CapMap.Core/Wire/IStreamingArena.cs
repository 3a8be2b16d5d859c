namespace CapMap.Wire;

/// <summary>
/// An arena that can grow one region contiguously while other allocations go elsewhere: what a
/// composite list of unknown final length needs, since its elements must stay back to back in one
/// segment. While a stream is open, <see cref="ISegmentArena.TryAllocate"/> refuses the stream's
/// segment, so children of the elements land in other segments behind far pointers. Those segments
/// (opened while the stream is open) may move on every <see cref="TryExtendStream"/>; their
/// <see cref="ISegmentArena.GetMoveEpoch"/> changes with it.
/// </summary>
public unsafe interface IStreamingArena : ISegmentArena
{
    /// <summary>True while a stream is open; an arena supports one at a time.</summary>
    bool IsStreaming { get; }

    /// <summary>Opens the stream with its first <paramref name="words"/> zeroed words. Returns the segment id.</summary>
    int BeginStream(int words, out int offset);

    /// <summary>
    /// Appends <paramref name="words"/> zeroed words right after the stream's current end; false when the
    /// segment cannot grow that far. May move the segments opened since the stream began, and the stream's own
    /// content (<see cref="StreamShiftWords"/>).
    /// </summary>
    bool TryExtendStream(int words);

    /// <summary>
    /// Words the open stream can still grow by before its segment is full (the segment limit; a reserve or a
    /// disk that ends first is reported by <see cref="TryExtendStream"/> and the file's failure instead).
    /// A streaming list derives its capacity from it once, when it opens.
    /// </summary>
    long StreamRoomWords { get; }

    /// <summary>
    /// Words the open stream's content (its tag, elements and their children) has moved up inside its segment since
    /// it began: an arena may grow the room for the elements' children at the segment's start during
    /// <see cref="TryExtendStream"/>, and a list then re-aims what it holds by the change. 0 for arenas that never do.
    /// </summary>
    long StreamShiftWords => 0;

    /// <summary>Gives back the last <paramref name="words"/> words of the stream (the caller has zeroed them).</summary>
    void ShrinkStream(int words);

    /// <summary>Closes the stream; its segment takes no more stream words.</summary>
    void EndStream();
}
