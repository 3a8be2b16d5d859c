using CapMap.IO;
using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>
/// One message of a message file, read from its segment table and (for CapMap messages) its checkpoint
/// record, without reading the message itself beyond its root. A file holds one message or a stream of
/// several (the standard framing); <see cref="ReadAll(string, int?)"/> gives one of these per message.
/// </summary>
public sealed record MessageFileInfo(
    string Path,
    long FileBytes,
    long MessageBytes,
    IReadOnlyList<int> SegmentWords,
    MessageFileState State,
    long CheckpointSequence,
    long RecordCount,
    int Index = 0,
    long Offset = 0,
    long SlackBytesAfter = 0)
{
    /// <summary>Bytes after this message that start no further message (only the last message of a file has any).</summary>
    public long SlackBytes => SlackBytesAfter;

    /// <summary>The table declares more bytes than the file has.</summary>
    public bool IsTruncated => Offset + MessageBytes > FileBytes;

    /// <summary>Segments of the message.</summary>
    public int SegmentCount => SegmentWords.Count;

    /// <summary>True when a CapMap checkpoint record describes this message (CapMap wrote it).</summary>
    public bool IsCapMapMessage => State != MessageFileState.Unknown;

    /// <summary>
    /// True when CapMap is still writing this message, or its writer stopped before completing it: the message holds
    /// the records of its last checkpoint, and more may have been written after it (see <see cref="State"/>).
    /// </summary>
    public bool IsIncomplete => State == MessageFileState.Checkpoint;

    /// <summary>
    /// Throws when the message is truncated (<see cref="IsTruncated"/>): its table declares bytes the file does not
    /// have, so it cannot be read. Readers refuse such a message before reading any of it; Get-CapnpMessageInfo
    /// describes it and reports the same error.
    /// </summary>
    /// <exception cref="CapnpFormatException">The message is truncated.</exception>
    public void ThrowIfTruncated()
    {
        if (IsTruncated)
            throw new CapnpFormatException(
                $"Message {Index} of '{Path}' is truncated: its table declares {MessageBytes:N0} bytes from byte {Offset:N0}, and the file has {FileBytes:N0} (state {State}).");
    }

    /// <summary>The first message of the file.</summary>
    /// <exception cref="CapnpFormatException">The file does not start with a valid segment table.</exception>
    /// <exception cref="FileTruncatedException">The file was cut while it was read.</exception>
    public static MessageFileInfo Read(string path) => ReadAll(path)[0];

    /// <summary>
    /// Every message of the file, in order. <paramref name="recordListPointer"/> names the root's pointer
    /// that holds the records (from a schema); without it, RecordCount is the CapMap record's count, or the
    /// element count of the root's only list of structs.
    /// </summary>
    /// <exception cref="CapnpFormatException">The file does not start with a valid segment table.</exception>
    /// <exception cref="FileTruncatedException">The file was cut while it was read.</exception>
    public static IReadOnlyList<MessageFileInfo> ReadAll(string path, int? recordListPointer = null)
    {
        long length = new FileInfo(path).Length;
        if (length < 8) throw new CapnpFormatException($"'{path}' is {length} bytes long; a message needs at least 8.");
        using var mapping = ReadOnlyFileMapping.Open(path);
        string fullPath = System.IO.Path.GetFullPath(path);
        return mapping.ReadConsistent(() => ReadAll(fullPath, mapping, recordListPointer));
    }

    private static unsafe IReadOnlyList<MessageFileInfo> ReadAll(string fullPath, ReadOnlyFileMapping mapping, int? recordListPointer)
    {
        var messages = CapMapMessageScan.Scan(mapping.Pointer, mapping.Length);
        if (messages.Count == 0)
            Framing.ThrowNotAMessage(fullPath, new ReadOnlySpan<byte>(mapping.Pointer, (int)Math.Min(mapping.Length, MappedFileLayout.HeaderBytes)));
        var result = new List<MessageFileInfo>(messages.Count);
        for (int i = 0; i < messages.Count; i++)
        {
            var (message, record) = messages[i];
            long slack = i == messages.Count - 1 && !message.IsTruncated ? mapping.Length - message.End : 0;
            long count = record is not null && recordListPointer is null ? record.RecordCount
                : message.IsTruncated ? 0 : RecordLists.Count(mapping.Pointer + message.Offset, message.Bytes, recordListPointer);
            result.Add(new MessageFileInfo(fullPath, mapping.Length, message.Bytes, message.Table.SegmentWords.ToArray(),
                record?.State ?? MessageFileState.Unknown, record?.Sequence ?? 0, count, i, message.Offset, slack));
        }
        return result;
    }
}

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

/// <summary>Counts the records of a message: the elements of the root's list of structs.</summary>
internal static unsafe class RecordLists
{
    public static long Count(byte* message, long bytes, int? pointerIndex)
    {
        try
        {
            using var reader = MessageReader.FromMemory(message, bytes, ReaderOptions.Unlimited);
            var root = reader.GetRoot();
            if (pointerIndex is { } index) return StructListCount(root, index) ?? 0;
            long? only = null;
            for (int i = 0; i < root.PointerCount; i++)
            {
                if (StructListCount(root, i) is not { } count) continue;
                if (only is not null) return 0; // several lists of structs: which one holds the records is the schema's to say
                only = count;
            }
            return only ?? 0;
        }
        catch (CapnpFormatException)
        {
            return 0;
        }
    }

    private static long? StructListCount(StructReader root, int pointerIndex)
    {
        if (root.IsPointerNull(pointerIndex)) return null;
        try
        {
            var list = root.ReadList(pointerIndex);
            return list.ElementSize == ElementSize.InlineComposite ? list.Count : null;
        }
        catch (CapnpFormatException)
        {
            return null; // a struct pointer, or not a list at all
        }
    }
}

/// <summary>A file that CapMap did not write: changing it needs the caller's explicit consent (-Force).</summary>
public sealed class ForeignMessageFileException : IOException
{
    /// <summary>Says which file and what consent would change it.</summary>
    public ForeignMessageFileException(string message) : base(message) { }
}

/// <summary>Operations on whole message files.</summary>
public static unsafe class MessageFiles
{
    /// <summary>
    /// Cuts the bytes after the last message of the file (the "slack" of a file left larger than its
    /// messages, for example at its grown size). Every message is kept, also in a stream of several.
    /// Returns the bytes removed. Takes the writer's lock, so a file still being built is refused. A file
    /// CapMap did not write is changed only with <paramref name="force"/>.
    /// </summary>
    /// <exception cref="CapnpFormatException">The table is invalid, or the last message is truncated.</exception>
    /// <exception cref="ForeignMessageFileException">No message of the file is CapMap's and <paramref name="force"/> is false.</exception>
    public static long TrimSlack(string path, bool force = false)
    {
        // Measured before opening: a writable open pads the file to a whole page.
        long length = new FileInfo(path).Length;
        using var file = Mapping.MappedFile.Open(path, new Mapping.MappedFileOptions { ReserveBytes = MappedFileLayout.HeaderBytes });
        var messages = CapMapMessageScan.Scan(file.Base, length);
        try
        {
            if (messages.Count == 0)
                Framing.ThrowNotAMessage(file.Path, new ReadOnlySpan<byte>(file.Base, (int)Math.Min(length, MappedFileLayout.HeaderBytes)));
            var last = messages[^1].Message;
            if (last.IsTruncated)
                throw new CapnpFormatException($"'{file.Path}' is {length} bytes but message {last.Index} declares {last.Bytes} bytes from byte {last.Offset}; it is truncated, not slack.");
            if (!force && messages.All(m => m.Record is null))
                throw new ForeignMessageFileException($"'{file.Path}' was not written by CapMap; use -Force to cut the {length - last.End:N0} bytes after its last message anyway.");
            if (last.End == length) return 0;
            file.SetLength(last.End);
            file.Flush(0, last.End, fsync: true);
            return length - last.End;
        }
        catch
        {
            // The writable open padded the file to a page: a refusal leaves it as it was.
            if (new FileInfo(file.Path).Length != length) file.SetLength(length);
            throw;
        }
    }
}
