using CapMap.Mapping;
using CapMap.Native;
using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>
/// Builds a Cap'n Proto message directly inside a memory-mapped file that grows on demand. The
/// message's memory is the file: nothing is copied at the end, and the message may be larger than RAM.
/// <see cref="Complete"/> writes the segment table and cuts the file to the bytes used; the result is an
/// ordinary stream-framed message every reader opens.
/// </summary>
/// <remarks>
/// One writer at a time (it is not thread-safe), but with no thread affinity: create it on one thread and
/// fill it on another. Disposing without <see cref="Complete"/> keeps everything appended so far: it
/// writes a final checkpoint, so the file is a valid message in state <see cref="MessageFileState.Checkpoint"/>.
/// After a failure (disk full, file-size limit, file truncated by someone else) it restores the last
/// checkpoint instead.
/// </remarks>
public sealed unsafe partial class MappedMessageBuilder : IDisposable
{
    /// <summary>Each list contributes two patches to a checkpoint record; the root takes one.</summary>
    public static int MaxStreamingLists => (CheckpointRecord.MaxPatches - 1) / 2;

    private readonly MappedFile _file;
    private readonly MappedSegmentArena _arena;
    private readonly List<StreamingStructListBuilder> _lists = new();
    private long _sequence;
    private bool _completed;
    private bool _disposed;

    private MappedMessageBuilder(MappedFile file, MappedMessageOptions options, long messageOffset)
    {
        _file = file;
        Options = options;
        _messageOffset = messageOffset;
        _arena = new MappedSegmentArena(file, messageOffset, MoveBlockJournaled, TryInsertHoleJournaled, TryInsertChildRoomJournaled,
            !options.CompactLanes && SparseLanes.Allowed(file.Path) ? options.SparseRooms : null);
        Message = new MessageBuilder(_arena);
        if (options.Schema is { } schema) EmbedSchema(schema);
    }

    /// <summary>Writes the schema into the first words of segment 0's data, right after the root slot, before any object.</summary>
    private void EmbedSchema(EmbeddedSchema schema)
    {
        int segment = _arena.Allocate(schema.Words, out int offset);
        if (segment != 0 || offset != 1)
            throw new InvalidOperationException("The schema must be the first allocation of a mapped message.");
        schema.WriteTo(_arena.GetSegmentStart(0) + offset);
    }

    /// <summary>File offset of this message: 0, or the end of the messages it was appended to.</summary>
    private readonly long _messageOffset;

    /// <summary>Creates the file (new, unless <see cref="MappedMessageOptions.Overwrite"/>), locks it and maps it.</summary>
    /// <exception cref="MappedFileExistsException">The file exists and Overwrite was not given.</exception>
    /// <exception cref="FileLockedException">Another writer holds the file.</exception>
    /// <exception cref="MessageAppendException">With <see cref="MappedMessageOptions.Append"/>: the file holds no messages, a truncated one, or one still at a checkpoint.</exception>
    public static MappedMessageBuilder Create(string path, MappedMessageOptions? options = null)
    {
        options ??= new MappedMessageOptions();
        if (options.Append && File.Exists(path)) return Append(path, options);
        var file = MappedFile.Create(path, options.ToFileOptions() with { Overwrite = options.Overwrite || options.Append });
        try
        {
            return new MappedMessageBuilder(file, options, 0);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing file for a message after its last one. The earlier messages are never written:
    /// the new one starts where they end (slack after them is cleared), and a first checkpoint is taken at
    /// once, so from here on a kill leaves them byte for byte and a new message repair can restore.
    /// </summary>
    private static MappedMessageBuilder Append(string path, MappedMessageOptions options)
    {
        // The lock first, then the length (measured before it, a writer could still cut or grow the file), and no
        // padding to a page until the file is known to take a message: a refusal leaves it as it was.
        var file = MappedFile.OpenKeepingLength(path, options.ToFileOptions());
        try
        {
            long length = file.CommittedBytes;
            long offset = AppendOffset(file, length);
            // Never write through a partial last page (see MappedFile.Open): pad it now that the file is accepted.
            long padded = NativeRange.AlignUp(length, Environment.SystemPageSize);
            if (padded != length) file.SetLength(padded);
            // The arena hands out zeroed words: clear whatever slack followed the last message.
            MappedSegmentArena.ClearBytes(file.Base, offset, Math.Min(file.CommittedBytes, file.ReservedBytes) - offset);
            var builder = new MappedMessageBuilder(file, options, offset) { _lengthBeforeAppend = length };
            builder.Checkpoint(flush: true);
            return builder;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static long AppendOffset(MappedFile file, long length)
    {
        var messages = CapMapMessageScan.Scan(file.Base, length);
        if (messages.Count == 0)
        {
            if (length == 0) return 0;
            throw new MessageAppendException($"'{file.Path}' does not start with a Cap'n Proto message; a new message can only follow messages.");
        }
        var (last, record) = messages[^1];
        if (last.IsTruncated)
            throw new MessageAppendException($"The last message of '{file.Path}' is truncated; repair or cut it before appending.");
        if (record is { State: MessageFileState.Checkpoint } || record?.Pending is not null)
            throw new MessageAppendException($"The last message of '{file.Path}' is still at a checkpoint; complete or repair it before appending.");
        return last.End;
    }

    /// <summary>The options the message was created with.</summary>
    public MappedMessageOptions Options { get; }

    /// <summary>The message file (full path).</summary>
    public string Path => _file.Path;

    /// <summary>How the file grows.</summary>
    public GrowthMode Growth => _file.Growth;

    /// <summary>The message being built; its root pointer is segment 0, word 0 of the mapped arena.</summary>
    public MessageBuilder Message { get; }

    /// <summary>True once <see cref="Complete"/> has finished the message.</summary>
    public bool IsCompleted => _completed;

    /// <summary>True when growing the file failed (disk full, size limit, truncated by someone else).</summary>
    public bool IsFailed => !_disposed && _file.IsFailed;

    /// <summary>
    /// Bytes of data from the start of the file: the messages before this one, its header page and every word
    /// allocated so far. The holes a streaming list keeps ahead of itself are not data, so while a list streams the
    /// file is larger than this (by a bounded slack, see <see cref="SparseLanes"/>); after Complete it is equal.
    /// </summary>
    public long UsedBytes => MappedFileLayout.BuilderRootSlot(_messageOffset) + _arena.AllocatedBytes;

    /// <summary>File offset just past the last allocated word (holes between the lanes included).</summary>
    internal long EndOffset
    {
        get
        {
            var segments = _arena.Segments;
            long end = MappedFileLayout.DataStart(_messageOffset);
            foreach (var segment in segments) end = Math.Max(end, segment.End);
            return end;
        }
    }

    /// <summary>Bytes the file has been grown to.</summary>
    public long CommittedBytes => _disposed ? 0 : _file.CommittedBytes;

    /// <summary>Segments the message has so far.</summary>
    public int SegmentCount => _arena.SegmentCount;

    /// <summary>Bytes the gap moves have copied so far (stays 0 with sparse lanes).</summary>
    public long StreamMovedBytes => _arena.StreamGapMovedBytes;

    /// <summary>SIGBUS faults the growth handler served for this file.</summary>
    public long FaultCount => _disposed ? 0 : _file.FaultCount;

    /// <summary>The last checkpoint written (null before the first).</summary>
    public CheckpointRecord? LastCheckpoint { get; private set; }

    /// <summary>
    /// Elements appended to streaming lists so far: in this message and in the messages of the same file it
    /// continues (<see cref="ContinueInNextMessage"/>).
    /// </summary>
    public long AppendedCount => _earlierRecords + _lists.Sum(list => (long)list.Count);

    /// <summary>Messages this writer has put in the file: 1, plus one for each <see cref="ContinueInNextMessage"/>.</summary>
    public int MessagesWritten => _earlierMessages + 1;

    /// <summary>Sets the root struct (its data words and pointers); see <see cref="MessageBuilder.InitRoot"/>.</summary>
    public StructBuilder InitRoot(int dataWords, int pointerCount)
    {
        ThrowIfUnusable();
        return Message.InitRoot(dataWords, pointerCount);
    }

    /// <summary>
    /// Opens a List(Struct) in <paramref name="parent"/>'s pointer <paramref name="pointerIndex"/> that grows
    /// one element at a time (see <see cref="StreamingStructListBuilder"/>). One list can be open at a time.
    /// </summary>
    public StreamingStructListBuilder OpenStructList(StructBuilder parent, int pointerIndex, int dataWords, int pointerCount)
    {
        ThrowIfUnusable();
        if (_lists.Count >= MaxStreamingLists)
            throw new CapnpCapacityException($"A mapped message holds at most {MaxStreamingLists} streaming lists.");
        PreservePointerForRepair(parent, pointerIndex);
        return Track(parent.InitStreamingStructList(pointerIndex, dataWords, pointerCount));
    }

    private StreamingStructListBuilder Track(StreamingStructListBuilder list)
    {
        if (Options.MaxListBytesPerMessage is { } limit) list.LimitBytes(limit);
        _lists.Add(list);
        return list;
    }

    /// <summary>Throws <see cref="MappedMessageFailedException"/> if growing the file failed.</summary>
    public void ThrowIfFailed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            _file.ThrowIfFailed();
        }
        catch (MappedFileFailedException failure)
        {
            throw new MappedMessageFailedException(Path, failure, LastCheckpoint);
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed) throw new InvalidOperationException("The message is complete.");
        ThrowIfFailed();
    }

    /// <summary>
    /// Without <see cref="Complete"/>: keeps what was appended by writing a final checkpoint and cutting the
    /// file to it. After a failure: closes the file and restores the last checkpoint.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        bool failed = _file.IsFailed;
        if (!failed)
        {
            try
            {
                var record = Checkpoint(flush: true);
                _file.SetLength(record.EndOffset);
            }
            catch (MappedMessageFailedException)
            {
                failed = true;
            }
        }
        _disposed = true;
        _file.Dispose();
        if (failed && LastCheckpoint is not null)
        {
            try { MessageRepair.Repair(Path); }
            catch (Exception ex) when (ex is IOException or CapnpFormatException or MessageRepairException) { /* repairable later by hand */ }
        }
    }
}
