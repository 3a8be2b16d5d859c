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

    /// <summary>True when streaming lists kept their room as sparse holes widened by insert-range (ext4, XFS, no size limit).</summary>
    public bool SparseLanes { get; init; }

    /// <summary>Times insert-range widened a sparse list's room while the message was built (no byte copied).</summary>
    public int StreamRoomInserts { get; init; }

    /// <summary>Times insert-range grew a sparse list's child room at its segment's start (children kept near, no landing pads).</summary>
    public int ChildRoomInserts { get; init; }

    /// <summary>
    /// Messages the writer put in the file (more than 1 when full lists went on in next messages); Bytes and
    /// SegmentWords describe the last, RecordCount counts the records of all of them.
    /// </summary>
    public int Messages { get; init; } = 1;

    /// <summary>File offset where the (last) message starts.</summary>
    public long MessageOffset { get; init; }
}
