using CapMap.Messages;
using CapMap.Wire;

namespace CapMap.PowerShell;

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
