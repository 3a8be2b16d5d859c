namespace CapMap.Wire;

/// <summary>A parsed segment table: where each segment starts in the framed message and how long it is.</summary>
public sealed class SegmentTable
{
    internal SegmentTable(int tableBytes, int[] segmentWords, long[] segmentOffsets, long messageBytes)
    {
        TableBytes = tableBytes;
        SegmentWords = segmentWords;
        SegmentOffsets = segmentOffsets;
        MessageBytes = messageBytes;
    }

    /// <summary>Bytes the table itself takes, padding included.</summary>
    public int TableBytes { get; }
    /// <summary>Words of each segment, in order.</summary>
    public IReadOnlyList<int> SegmentWords { get; }
    /// <summary>Byte offset of each segment from the start of the message.</summary>
    public IReadOnlyList<long> SegmentOffsets { get; }

    /// <summary>Table plus segments: where the message ends; anything after it is slack.</summary>
    public long MessageBytes { get; }

    /// <summary>Number of segments.</summary>
    public int SegmentCount => SegmentWords.Count;
}
