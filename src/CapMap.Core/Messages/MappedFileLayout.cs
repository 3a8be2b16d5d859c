namespace CapMap.Messages;

/// <summary>
/// Where things sit in a CapMap message file. The first page is the header: the stream segment table
/// at offset 0, the (relocated) root pointer right after it, and two alternating checkpoint records.
/// The data of segment 0 starts at the next page; the wire layer's root pointer slot is the word just
/// before it, so the root struct lands page-aligned.
/// </summary>
/// <remarks>
/// The table's length depends on the segment count, which is only known at a checkpoint or at finish,
/// so the declared segment 0 starts right after the table and its first word gets a copy of the root
/// pointer re-aimed at the same struct. The words between that copy and the data page are padding
/// inside segment 0 (readers never visit unreferenced words). This works because no far pointer ever
/// targets segment 0 (see <see cref="MappedSegmentArena"/>), so nothing depends on where it "starts".
/// </remarks>
public static class MappedFileLayout
{
    /// <summary>Size of the header page.</summary>
    public const int HeaderBytes = 4096;

    /// <summary>File offset of the wire layer's root pointer slot (word 0 of segment 0 as the builder sees it) for a file's first message.</summary>
    public const long BuilderRootSlotOffset = HeaderBytes - 8;

    /// <summary>
    /// Where the data of a message that starts at <paramref name="messageOffset"/> begins: at least a header
    /// page after its start, on a page boundary of the file (so appended messages keep the alignment gap
    /// moves and collapse-range need). The header of such a message is 4096 to 8191 bytes long.
    /// </summary>
    public static long DataStart(long messageOffset) => (messageOffset + HeaderBytes + HeaderBytes - 1) / HeaderBytes * HeaderBytes;

    /// <summary>The builder's root slot of a message that starts at <paramref name="messageOffset"/>: the word before its data.</summary>
    public static long BuilderRootSlot(long messageOffset) => DataStart(messageOffset) - 8;

    /// <summary>Checkpoint records: two slots, written alternately, so a torn write leaves the other intact.</summary>
    public const int CheckpointSlotA = 1024;
    /// <summary>File offset of the second checkpoint record slot.</summary>
    public const int CheckpointSlotB = 2560;
    /// <summary>Bytes of one checkpoint record slot.</summary>
    public const int CheckpointSlotBytes = 1536;

    /// <summary>
    /// The progress word of a journaled copy (<see cref="JournaledMove"/>): chunks finished so far. It sits
    /// in the padding of segment 0 between the largest table (with the root pointer copy) and slot A.
    /// </summary>
    public const int MoveProgressOffset = CheckpointSlotA - 8;

    /// <summary>Segments a mapped message may have: bounded by what one checkpoint record can list.</summary>
    public const int MaxSegments = 96;

    /// <summary>Largest segment table CapMap writes; it must end before the first checkpoint slot.</summary>
    public static int MaxTableBytes => Wire.Framing.GetTableSize(MaxSegments);

    /// <summary>Gaps between lanes are closed with collapse-range, which needs block-aligned ranges.</summary>
    public const int GapAlignment = 64 * 1024;
}
