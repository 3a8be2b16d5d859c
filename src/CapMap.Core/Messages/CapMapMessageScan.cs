using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>
/// The messages of a file as CapMap sees them: the stream of messages (<see cref="MessageStream"/>), each
/// with its CapMap checkpoint record when one describes it. A message at a checkpoint (not completed) is
/// the last: what follows it is its writer's unfinished work, not another message.
/// </summary>
internal static unsafe class CapMapMessageScan
{
    public static List<(StreamMessage Message, CheckpointRecord? Record)> Scan(byte* file, long length)
    {
        var result = new List<(StreamMessage, CheckpointRecord?)>();
        long offset = 0;
        while (true)
        {
            var next = MessageStream.Scan(file, length, offset);
            if (next.Count == 0) break;
            var message = next[0] with { Index = result.Count };
            var record = RecordOf(file, length, message);
            result.Add((message, record));
            if (message.IsTruncated || record?.State == MessageFileState.Checkpoint) break;
            offset = message.End;
        }
        return result;
    }

    /// <summary>The CapMap record in the message's header page, when it agrees with the table that is there now.</summary>
    private static CheckpointRecord? RecordOf(byte* file, long length, StreamMessage message)
    {
        if (length - message.Offset < MappedFileLayout.HeaderBytes) return null;
        var record = CheckpointRecord.ReadLatest(new ReadOnlySpan<byte>(file + message.Offset, MappedFileLayout.HeaderBytes));
        if (record is null || record.MessageOffset != message.Offset) return null;
        // A record that announces a move describes a file its writer left mid-move: CapMap's, at a checkpoint.
        if (record.Pending is not null) return record;
        return record.Segments.Select(s => s.Words).SequenceEqual(message.Table.SegmentWords) ? record : null;
    }
}
