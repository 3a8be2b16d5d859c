using CapMap.Mapping;
using CapMap.Messages;

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
