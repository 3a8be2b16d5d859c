namespace CapMap.Messages;

/// <summary>
/// What a repair did. <see cref="BytesBefore"/> and <see cref="BytesAfter"/> are the file's length before and after: a
/// restored checkpoint is cut down to its data, so the holes a stopped or killed writer left (up to about 60 MiB for a
/// streaming list) are gone from <see cref="BytesAfter"/>.
/// </summary>
public sealed record RepairResult(string Path, MessageFileState State, long Sequence, long RecordCount, long BytesBefore, long BytesAfter, int SegmentCount)
{
    /// <summary>How the gaps between the restored checkpoint's segments were closed (None for a completed message, or when there were none).</summary>
    public GapClosing Gaps { get; init; }

    /// <summary>Bytes the repair removed from the file.</summary>
    public long BytesRemoved => BytesBefore - BytesAfter;
}
