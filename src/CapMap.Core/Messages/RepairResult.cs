namespace CapMap.Messages;

/// <summary>What a repair did.</summary>
public sealed record RepairResult(string Path, MessageFileState State, long Sequence, long RecordCount, long BytesBefore, long BytesAfter, int SegmentCount);
