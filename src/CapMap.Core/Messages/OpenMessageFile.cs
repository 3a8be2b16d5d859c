using CapMap.IO;
using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>
/// A message file open for reading: mapped once, read-only and without a lock, and everything a reader asks of it
/// comes from that one mapping: the list of its messages (<see cref="Messages"/>, read when it opens), a reader of
/// each message over the message's bytes (<see cref="ReadMessage"/>), and the schema each message carries
/// (<see cref="SchemaOf(int)"/>, read when first asked and then kept). Import, Get-CapnpMessageInfo, Resize's checks
/// and -Append's check of an existing file each open the file this way once, instead of each layer mapping the path
/// again.
/// </summary>
/// <remarks>
/// The mapping is registered with the fault handler (<see cref="ReadOnlyFileMapping"/>), so a file cut by someone
/// else while it is read reads as <see cref="FileTruncatedException"/>, never as a crash. Readers from
/// <see cref="ReadMessage"/> borrow the mapping: they must be disposed before this file is, and they stop with
/// <see cref="ObjectDisposedException"/> if it is disposed first.
/// </remarks>
public sealed unsafe class OpenMessageFile : IDisposable
{
    private readonly ReadOnlyFileMapping _mapping;
    private readonly EmbeddedSchema?[] _schemas;
    private readonly bool[] _schemaRead;

    private OpenMessageFile(ReadOnlyFileMapping mapping, string fullPath, IReadOnlyList<MessageFileInfo> messages)
    {
        _mapping = mapping;
        Path = fullPath;
        Messages = messages;
        _schemas = new EmbeddedSchema?[messages.Count];
        _schemaRead = new bool[messages.Count];
    }

    /// <summary>The file (full path).</summary>
    public string Path { get; }

    /// <summary>The file's length when it was opened: what the mapping covers.</summary>
    public long Length => _mapping.Length;

    /// <summary>
    /// Every message of the file, in order (see <see cref="MessageFileInfo"/>), as scanned when the file was opened.
    /// A truncated message is listed too (<see cref="MessageFileInfo.IsTruncated"/>): reading it is the caller's call.
    /// </summary>
    public IReadOnlyList<MessageFileInfo> Messages { get; }

    /// <summary>
    /// Maps the file and scans its messages. <paramref name="recordListPointer"/> names the root's pointer that holds
    /// the records (from a schema); without it, RecordCount is the CapMap record's count, or the element count of the
    /// root's only list of structs.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CapnpFormatException">The file does not start with a valid segment table.</exception>
    /// <exception cref="FileTruncatedException">The file was cut while it was scanned.</exception>
    public static OpenMessageFile Open(string path, int? recordListPointer = null)
    {
        // A stat, not an open: a file too short for a table is malformed (CapnpFormatException), as any reader says.
        long length = new FileInfo(path).Length;
        if (length < 8) throw new CapnpFormatException($"'{path}' is {length} bytes long; a message needs at least 8.");
        var mapping = ReadOnlyFileMapping.Open(path);
        try
        {
            string fullPath = System.IO.Path.GetFullPath(path);
            var messages = mapping.ReadConsistent(() => Scan(fullPath, mapping, recordListPointer));
            return new OpenMessageFile(mapping, fullPath, messages);
        }
        catch
        {
            mapping.Dispose();
            throw;
        }
    }

    private static IReadOnlyList<MessageFileInfo> Scan(string fullPath, ReadOnlyFileMapping mapping, int? recordListPointer)
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

    /// <summary>
    /// A reader of message <paramref name="index"/>, in place over this file's mapping (zero-copy). Values read
    /// straight from a struct read as zeros once the file is cut, so read through
    /// <see cref="MessageReader.ReadConsistent{T}"/>. Dispose it before this file.
    /// </summary>
    /// <exception cref="CapnpFormatException">The message is truncated, or its table is invalid.</exception>
    /// <exception cref="MessageNotFoundException">The file holds no such message.</exception>
    /// <exception cref="FileTruncatedException">The file was cut while the table was read.</exception>
    public MessageReader ReadMessage(int index, ReaderOptions? options = null)
    {
        var message = MessageAt(index);
        message.ThrowIfTruncated();
        var memory = _mapping.Lend();
        return _mapping.ReadConsistent(() => MessageReader.FromMemory(_mapping.Pointer + message.Offset, _mapping.Length - message.Offset, options, memory));
    }

    /// <summary>
    /// The schema message <paramref name="index"/> carries, or null when it carries none; read from the mapping the
    /// first time it is asked for (a message's schema is kilobytes, and most readers ask for one or two), then kept.
    /// Safe to call from any thread.
    /// </summary>
    /// <exception cref="MessageNotFoundException">The file holds no such message.</exception>
    /// <exception cref="FileTruncatedException">The file was cut while the schema was read.</exception>
    public EmbeddedSchema? SchemaOf(int index)
    {
        var message = MessageAt(index);
        lock (_schemas)
        {
            if (!_schemaRead[index])
            {
                _schemas[index] = _mapping.ReadConsistent(() => EmbeddedSchema.TryRead(_mapping.Pointer, _mapping.Length, message.Offset));
                _schemaRead[index] = true;
            }
            return _schemas[index];
        }
    }

    /// <summary>The schema <paramref name="message"/> (one of <see cref="Messages"/>) carries, or null when it carries none.</summary>
    /// <exception cref="ArgumentException"><paramref name="message"/> is not a message of this file.</exception>
    public EmbeddedSchema? SchemaOf(MessageFileInfo message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // By place, not by record equality: the table's words are an array, which records compare by reference.
        if (message.Path != Path || message.Index < 0 || message.Index >= Messages.Count || Messages[message.Index].Offset != message.Offset)
            throw new ArgumentException($"Message {message.Index} of '{message.Path}' is not a message of '{Path}' as it was opened.", nameof(message));
        return SchemaOf(message.Index);
    }

    private MessageFileInfo MessageAt(int index)
    {
        ObjectDisposedException.ThrowIf(_mapping.Pointer == null, this);
        if (index < 0 || index >= Messages.Count)
            throw new MessageNotFoundException(Path, [index], Messages.Count);
        return Messages[index];
    }

    /// <summary>Unmaps the file; readers from <see cref="ReadMessage"/> must be disposed first.</summary>
    public void Dispose() => _mapping.Dispose();
}
