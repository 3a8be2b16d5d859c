using CapMap.Mapping;

namespace CapMap.Messages;

/// <summary>What <see cref="MappedMessageBuilder.Complete"/> produced.</summary>
public sealed record MessageSummary(
    string Path,
    long Bytes,
    IReadOnlyList<int> SegmentWords,
    long RecordCount,
    long FaultCount,
    GrowthMode Growth,
    GapClosing Gaps,
    TimeSpan FinishTime)
{
    /// <summary>Bytes the gap moves copied while the message was built (0 with sparse lanes).</summary>
    public long StreamMovedBytes { get; init; }

    /// <summary>True when streaming lists kept holes as large as their segments (collapse-range, no size limit).</summary>
    public bool SparseLanes { get; init; }

    /// <summary>
    /// Messages the writer put in the file (more than 1 when full lists went on in next messages); Bytes and
    /// SegmentWords describe the last, RecordCount counts the records of all of them.
    /// </summary>
    public int Messages { get; init; } = 1;

    /// <summary>File offset where the (last) message starts.</summary>
    public long MessageOffset { get; init; }
}
