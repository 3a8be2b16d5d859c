namespace CapMap.Wire;

/// <summary>
/// Where a message's segments live. The wire layer only ever asks for words; whether they come from
/// native heap memory (<see cref="HeapSegmentArena"/>) or from a growing file mapping is the arena's
/// business. An arena hands out zeroed words and keeps every segment within <see cref="WireLimits.MaxSegmentWords"/>.
/// </summary>
/// <remarks>
/// <para><b>What may move, and when.</b> A segment keeps its id and its contents for the arena's lifetime,
/// and every pointer the wire layer writes is relative (inside a segment) or names a segment id and an
/// offset (far pointers), so pointers survive any move. The segment's <i>address</i> need not survive: a
/// streaming arena (<see cref="IStreamingArena"/>) may move the segments opened while a stream is open each
/// time the stream is extended, to make room for the stream (the mapped arena doubles the gap after it).
/// Segments opened outside a stream, and the stream's own segment, never move.</para>
/// <para>So raw addresses, <see cref="StructBuilder"/>s and <see cref="ListBuilder"/>s of objects in a
/// segment that may move are valid only until its <see cref="GetMoveEpoch"/> changes; code that keeps
/// them longer (the object layer's struct cache) compares the epoch before it writes through them.
/// Code that must survive the move keeps segment id and offset instead (<see cref="StreamingStructListBuilder"/>).</para>
/// </remarks>
public unsafe interface ISegmentArena
{
    /// <summary>Segments that exist so far; each holds at least one word in use.</summary>
    int SegmentCount { get; }

    /// <summary>The largest object the arena can place in one segment (at most <see cref="WireLimits.MaxSegmentWords"/>).</summary>
    int MaxSegmentWords { get; }

    /// <summary>The address of word 0 of the segment: valid while <see cref="GetMoveEpoch"/> of the segment stays the same.</summary>
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
    /// <see cref="TryAllocate"/> that returns the address of the words (null when the segment cannot take
    /// them): one interface call per object on the builder's hot path instead of two (TryAllocate, then
    /// <see cref="GetSegmentStart"/>), which the profile showed as stub dispatch per child object.
    /// </summary>
    ulong* TryAllocateAddress(int segmentId, int words)
    {
        int offset = TryAllocate(segmentId, words);
        return offset < 0 ? null : GetSegmentStart(segmentId) + offset;
    }

    /// <summary>
    /// Allocates <paramref name="words"/> zeroed words in whichever segment the arena prefers, opening a
    /// new segment when needed. Returns the segment id. Throws <see cref="CapnpCapacityException"/> when
    /// no segment can take them.
    /// </summary>
    int Allocate(int words, out int offset);

    /// <summary>
    /// A number that changes whenever the segment may have moved (see the remarks on <see cref="ISegmentArena"/>).
    /// Arenas that never move a segment keep it at 0, the default.
    /// </summary>
    long GetMoveEpoch(int segmentId) => 0;
}
