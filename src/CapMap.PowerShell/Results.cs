using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Wire;

namespace CapMap.PowerShell;

/// <summary>What Complete-CapnpMappedMessage and Export-CapnpMessage produced.</summary>
public sealed class CapnpMessageSummary
{
    internal CapnpMessageSummary(MessageSummary summary, string rootType, DateTime completedAt)
    {
        Path = summary.Path;
        RootType = rootType;
        Bytes = summary.Bytes;
        SegmentWords = summary.SegmentWords.ToArray();
        RecordCount = summary.RecordCount;
        FaultCount = summary.FaultCount;
        Growth = summary.Growth;
        Gaps = summary.Gaps;
        FinishTime = summary.FinishTime;
        CompletedAt = completedAt;
    }

    /// <summary>The finished file.</summary>
    public FileInfo File => new(Path);

    public string Path { get; }
    public string RootType { get; }

    /// <summary>Size of the finished file (the message, nothing after it).</summary>
    public long Bytes { get; }

    public int SegmentCount => SegmentWords.Length;
    public int[] SegmentWords { get; }

    /// <summary>Records appended to streaming lists.</summary>
    public long RecordCount { get; }

    /// <summary>SIGBUS faults the growth handler served while the file was built.</summary>
    public long FaultCount { get; }

    public GrowthMode Growth { get; }

    /// <summary>How gaps between the file's lanes were closed at finish.</summary>
    public GapClosing Gaps { get; }

    /// <summary>Time the finish itself took (table, gap closing, truncate, flush).</summary>
    public TimeSpan FinishTime { get; }

    /// <summary>When the message was completed (local time).</summary>
    public DateTime CompletedAt { get; }

    public override string ToString() => Path;
}

/// <summary>One segment of a message file.</summary>
public sealed record CapnpSegmentInfo(int Index, long Offset, int Words)
{
    public long Bytes => (long)Words * 8;
}

/// <summary>What Get-CapnpMessageInfo reports: the segment table, sizes, slack and checkpoint state.</summary>
public sealed class CapnpMessageInfo
{
    internal CapnpMessageInfo(MessageFileInfo info)
    {
        Path = info.Path;
        Index = info.Index;
        Offset = info.Offset;
        FileBytes = info.FileBytes;
        MessageBytes = info.MessageBytes;
        SlackBytes = info.SlackBytes;
        IsTruncated = info.IsTruncated;
        State = info.State;
        CheckpointSequence = info.CheckpointSequence;
        RecordCount = info.RecordCount;
        var segments = new CapnpSegmentInfo[info.SegmentCount];
        long offset = Framing.GetTableSize(info.SegmentCount);
        for (int i = 0; i < segments.Length; i++)
        {
            segments[i] = new CapnpSegmentInfo(i, offset, info.SegmentWords[i]);
            offset += (long)info.SegmentWords[i] * 8;
        }
        Segments = segments;
        TableBytes = Framing.GetTableSize(info.SegmentCount);
    }

    public string Path { get; }

    /// <summary>Position of the message in the file's stream of messages (0 for the first).</summary>
    public int Index { get; }

    /// <summary>File offset where the message (its segment table) starts.</summary>
    public long Offset { get; }

    /// <summary>Complete (finished), Checkpoint (written while building) or Unknown (no CapMap record: another writer's file).</summary>
    public MessageFileState State { get; }

    public long FileBytes { get; }

    /// <summary>Bytes the segment table declares (table included).</summary>
    public long MessageBytes { get; }

    /// <summary>Bytes after the last message that start no further message (Resize-CapnpMappedMessage cuts them); 0 for the others.</summary>
    public long SlackBytes { get; }

    /// <summary>The table declares more than the file holds.</summary>
    public bool IsTruncated { get; }

    public int TableBytes { get; }
    public int SegmentCount => Segments.Length;
    public CapnpSegmentInfo[] Segments { get; }

    /// <summary>Sequence number of the CapMap checkpoint record (0 when there is none).</summary>
    public long CheckpointSequence { get; }

    /// <summary>Elements of the root's list of structs: the CapMap checkpoint's count, or the root's only struct list.</summary>
    public long RecordCount { get; }

    public override string ToString() => Path;
}

/// <summary>What Resize-CapnpMappedMessage did.</summary>
public sealed record CapnpResizeResult(string Path, long BytesBefore, long BytesAfter)
{
    public long BytesRemoved => BytesBefore - BytesAfter;
}
