namespace CapMap.Wire;

/// <summary>
/// Where a message's segments live. The wire layer only ever asks for words; whether they come from
/// native heap memory (<see cref="HeapSegmentArena"/>) or from a growing file mapping is the arena's
/// business. An arena hands out zeroed words, never moves a segment once it has handed out space in
/// it, and keeps every segment within <see cref="WireLimits.MaxSegmentWords"/>.
/// </summary>
public unsafe interface ISegmentArena
{
    /// <summary>Segments that exist so far; each holds at least one word in use.</summary>
    int SegmentCount { get; }

    /// <summary>The largest object the arena can place in one segment (at most <see cref="WireLimits.MaxSegmentWords"/>).</summary>
    int MaxSegmentWords { get; }

    /// <summary>The address of word 0 of the segment. Stable for the arena's lifetime.</summary>
    ulong* GetSegmentStart(int segmentId);

    /// <summary>Words in use in the segment: what the segment table will declare for it.</summary>
    int GetSegmentWordCount(int segmentId);

    /// <summary>
    /// Allocates <paramref name="words"/> zeroed words at the end of the given segment, so that a pointer
    /// in that segment can reach them without a far pointer. Returns the word offset, or -1 when the
    /// segment cannot take them (full, or closed to new objects).
    /// </summary>
    int TryAllocate(int segmentId, int words);

    /// <summary>
    /// Allocates <paramref name="words"/> zeroed words in whichever segment the arena prefers, opening a
    /// new segment when needed. Returns the segment id. Throws <see cref="CapnpCapacityException"/> when
    /// no segment can take them.
    /// </summary>
    int Allocate(int words, out int offset);
}

/// <summary>
/// An arena that can grow one region contiguously while other allocations go elsewhere: what a
/// composite list of unknown final length needs, since its elements must stay back to back in one
/// segment. While a stream is open, <see cref="ISegmentArena.TryAllocate"/> refuses the stream's
/// segment, so children of the elements land in other segments behind far pointers.
/// </summary>
public unsafe interface IStreamingArena : ISegmentArena
{
    /// <summary>True while a stream is open; an arena supports one at a time.</summary>
    bool IsStreaming { get; }

    /// <summary>Opens the stream with its first <paramref name="words"/> zeroed words. Returns the segment id.</summary>
    int BeginStream(int words, out int offset);

    /// <summary>Appends <paramref name="words"/> zeroed words right after the stream's current end; false when the segment cannot grow that far.</summary>
    bool TryExtendStream(int words);

    /// <summary>Gives back the last <paramref name="words"/> words of the stream (the caller has zeroed them).</summary>
    void ShrinkStream(int words);

    /// <summary>Closes the stream; its segment takes no more stream words.</summary>
    void EndStream();
}
