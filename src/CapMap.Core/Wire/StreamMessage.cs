namespace CapMap.Wire;

/// <summary>One message of a stream of messages: where it starts in the file, and its segment table.</summary>
public sealed record StreamMessage(int Index, long Offset, SegmentTable Table, bool IsTruncated)
{
    /// <summary>Bytes of the message, table included.</summary>
    public long Bytes => Table.MessageBytes;

    /// <summary>File offset just past the message.</summary>
    public long End => Offset + Table.MessageBytes;
}
