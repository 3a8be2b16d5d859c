using System.Diagnostics;
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
public sealed unsafe class MappedMessageBuilder : IDisposable
{
    /// <summary>A gap whose tail is at most this large is closed by moving the tail when collapse-range is unavailable.</summary>
    private const long MoveTailLimitBytes = 64L << 20;

    /// <summary>
    /// A tail is moved down only when that takes at most this many chunks (a chunk is at most the gap): each chunk
    /// costs two flushes (see <see cref="JournaledMove"/>), and a small gap costs little as padding.
    /// </summary>
    private const long MaxTailMoveChunks = 16;

    /// <summary>
    /// A gap whose tail is at most this large is closed by copying the tail down even where collapse-range
    /// works. The copy costs in proportion to the tail and closes the gap to the byte; collapse-range costs a
    /// writeback of the file's dirty pages and a journal commit whatever the size (0.5–2 s for a one-record
    /// message on a busy ext4, see docs/design.md) and leaves up to <see cref="MappedFileLayout.GapAlignment"/>
    /// of padding before the gap, which is most of a small file.
    /// </summary>
    internal const long DefaultCopyTailLimitBytes = 8L << 20;

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
        _arena = new MappedSegmentArena(file, messageOffset, MoveBlockJournaled, !options.CompactLanes && SparseLanes.Allowed(file.Path));
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
            var builder = new MappedMessageBuilder(file, options, offset);
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

    /// <summary>Bytes from the start of the file to the end of the last allocated word.</summary>
    public long UsedBytes
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

    private long _earlierRecords;
    private int _earlierMessages;

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

    /// <summary>
    /// Completes this message and goes on in the next message of the same file, for a streaming list that is
    /// <see cref="StreamingStructListBuilder.IsFull"/> (a list cannot outgrow one segment, about 4 GiB): the
    /// standard answer to that limit is a stream of messages, which every Cap'n Proto reader reads in order.
    /// </summary>
    /// <remarks>
    /// <para>The next message gets a deep copy of this one's root (data section and every object it reaches)
    /// except the streaming lists: the list that is open starts again, empty, in the copy of its parent; lists
    /// completed earlier are null there (their records stay in the earlier message, and are not repeated).
    /// A copy, rather than a caller's initializer run again, because it needs nothing from the caller and
    /// sets the root exactly as it was, including fields set while the list was streaming.</para>
    /// <para>This builder is finished afterwards (as after <see cref="Complete"/>) and the returned one owns the
    /// file and its lock, which are never released in between. The new message is opened as
    /// <see cref="MappedMessageOptions.Append"/> opens one: it starts where this one ends and is checkpointed
    /// at once, so a kill at any instant leaves the completed message byte for byte, and the new one is
    /// repaired to its last checkpoint.</para>
    /// </remarks>
    /// <param name="flush">Whether completing this message msyncs it (see <see cref="Complete"/>).</param>
    /// <param name="carry">
    /// Builders of structs of this message the caller keeps (reached from the root, not inside a streaming
    /// list): <see cref="MessageContinuation.Carried"/> gives their copies in the same order.
    /// </param>
    public MessageContinuation ContinueInNextMessage(bool flush = true, IReadOnlyList<StructBuilder>? carry = null)
    {
        ThrowIfUnusable();
        var open = _lists.LastOrDefault(list => !list.IsCompleted);
        // Places as segment and offset, taken before Complete moves segments (closing gaps).
        var carriedPlaces = (carry ?? []).Select(s => (s.SegmentId, s.WordOffset)).ToArray();
        var completed = CompleteMessage(flush);
        MappedMessageBuilder next;
        try
        {
            next = new MappedMessageBuilder(_file, Options, LastCheckpoint!.EndOffset)
            {
                _earlierRecords = AppendedCount,
                _earlierMessages = MessagesWritten,
            };
        }
        catch
        {
            _file.Dispose(); // this message is complete; nobody else owns the file now
            throw;
        }
        // Until the next message's first checkpoint its table is zeros, which repair and every reader take
        // for slack after the completed message: a kill in between leaves exactly that message.
        CrashPoints.Reach("continue: next message opened");
        try
        {
            var copy = ObjectCopier.CopyRoot(Message, next.Message, _lists.Select(list => (nint)list.SlotAddress));
            StreamingStructListBuilder? reopened = null;
            if (open is not null)
            {
                var (segment, slot) = copy.SkippedSlots[(nint)open.SlotAddress];
                reopened = next.Track(new StreamingStructListBuilder(next.Message, segment, (ulong*)slot, open.DataWordCount, open.PointerCount));
            }
            CrashPoints.Reach("continue: root copied");
            next.Checkpoint(flush: true);
            CrashPoints.Reach("continue: next message checkpointed");
            var carried = carriedPlaces.Select(place => copy.Structs.GetValueOrDefault(place)).ToArray();
            return new MessageContinuation(completed, next, copy.Root, reopened, carried);
        }
        catch
        {
            next.Abandon();
            throw;
        }
    }

    /// <summary>
    /// A next message that could not be set up (before its first checkpoint): the file is cut back to where it
    /// starts, so it ends with the completed messages, and closed. A checkpoint here would publish a half-copied root.
    /// </summary>
    private void Abandon()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (!_file.IsFailed && LastCheckpoint is null) _file.SetLength(_messageOffset);
        }
        finally
        {
            _file.Dispose();
        }
    }

    /// <summary>
    /// Call before pointing <paramref name="parent"/>'s pointer <paramref name="pointerIndex"/> at a new object
    /// when the pointer already existed at the last checkpoint: the object will lie past what the checkpoint
    /// covers, so restoring that checkpoint must also restore the pointer's value as it was (usually null),
    /// or the restored message would hold a pointer out of bounds. Amends the last checkpoint record with the
    /// pointer's current value (the header's table and patches are not rewritten). <see cref="OpenStructList"/>
    /// does this itself.
    /// </summary>
    public void PreservePointerForRepair(StructBuilder parent, int pointerIndex)
    {
        ThrowIfUnusable();
        if (LastCheckpoint is not { } last) return;
        ulong* slot = parent.PointerAddress(pointerIndex);
        long offset = (byte*)slot - _arena.Base;
        if (offset < _messageOffset || offset + 8 > last.EndOffset || last.Patches.Any(p => p.FileOffset == offset)) return;
        if (last.Patches.Count + 1 > CheckpointRecord.MaxPatches)
        {
            // No room to amend: a fresh checkpoint has at most one patch per list part plus the root.
            Checkpoint(flush: false);
            last = LastCheckpoint!;
        }
        var amended = last with { Sequence = ++_sequence, Patches = last.Patches.Append(new WordPatch(offset, *slot)).ToArray() };
        // Only the record: a kill before it is complete leaves the previous record, and the pointer is not written yet.
        MessageHeader.WriteRecord(_arena.Base, amended);
        LastCheckpoint = amended;
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

    /// <summary>
    /// Makes the file a valid message of everything appended so far (list counts, root and table written)
    /// while building continues. With <paramref name="flush"/>, data is written back before the header and
    /// the header is made durable, so a crash or kill leaves a file <see cref="MessageRepair"/> restores.
    /// </summary>
    public CheckpointRecord Checkpoint(bool flush = true)
    {
        ThrowIfUnusable();
        foreach (var list in _lists) if (!list.IsCompleted) list.Commit();
        var record = BuildRecord(MessageFileState.Checkpoint, DeclareWithGapsAsPadding());
        if (flush) _file.Flush(_messageOffset, record.MessageBytes, fsync: false);
        PublishHeader(record);
        if (flush) _file.Flush(_messageOffset, MappedFileLayout.DataStart(_messageOffset) - _messageOffset, fsync: true);
        ThrowIfFailed();
        LastCheckpoint = record;
        return record;
    }

    /// <summary>
    /// Finishes the message: completes open lists, closes the gaps streaming left between segments,
    /// writes the segment table and root, cuts the file to the bytes used, and (unless
    /// <paramref name="flush"/> is false) msyncs and fsyncs. The file is closed afterwards.
    /// </summary>
    /// <remarks>
    /// Crash-safe at every instant: everything appended becomes a checkpoint before any byte moves, and
    /// each gap close is announced in the header before it happens (see <see cref="PendingMove"/>), so a
    /// kill leaves either that checkpoint or the completed message for <see cref="MessageRepair"/>.
    /// </remarks>
    public MessageSummary Complete(bool flush = true)
    {
        var summary = CompleteMessage(flush);
        _file.Dispose();
        return summary;
    }

    /// <summary>Everything <see cref="Complete"/> does but closing the file, which a continuation keeps.</summary>
    private MessageSummary CompleteMessage(bool flush)
    {
        ThrowIfUnusable();
        var watch = Stopwatch.StartNew();
        foreach (var list in _lists) list.Complete();
        _arena.DropEmptyTail();
        RebaseStreamSegments();
        Checkpoint(flush);
        CrashPoints.Reach("complete: everything checkpointed");
        var gapStrategy = CloseGaps();
        ThrowIfFailed();

        // The last checkpoint already describes the final layout: closing the gaps re-aimed it at every
        // step, whereas the lists' own addresses may predate those moves. Cut first, under that checkpoint:
        // a record in state Complete then always means the writer had cut the file, and repair keeps any
        // message appended after it.
        var record = LastCheckpoint! with { State = MessageFileState.Complete, Sequence = ++_sequence };
        Debug.Assert(record.Segments.SequenceEqual(DeclareWithGapsAsPadding()), "the checkpoint and the arena disagree on the layout");
        _file.SetLength(record.EndOffset);
        // Flushed, the cut is on disk before the Complete record that says it happened.
        if (flush) _file.Flush(_messageOffset, 0, fsync: true);
        CrashPoints.Reach("complete: file cut");
        PublishHeader(record);
        CrashPoints.Reach("complete: header published");
        if (flush) _file.Flush(_messageOffset, record.MessageBytes, fsync: true);
        ThrowIfFailed();

        var summary = new MessageSummary(Path, record.MessageBytes, record.Segments.Select(s => s.Words).ToArray(),
            AppendedCount, _file.FaultCount, Growth, gapStrategy, watch.Elapsed)
        {
            StreamMovedBytes = _arena.StreamGapMovedBytes,
            SparseLanes = _arena.SparseLanes,
            Messages = MessagesWritten,
            MessageOffset = _messageOffset,
        };
        _completed = true;
        LastCheckpoint = record;
        _disposed = true;
        return summary;
    }

    /// <summary>
    /// Landing-pad words re-aimed by <see cref="RebaseStreamSegments"/>: written only as patches of the next
    /// record, so until that record is published the file still agrees with the previous one.
    /// </summary>
    private readonly List<WordPatch> _rebasedPads = new();

    /// <summary>
    /// Sparse lanes keep the children of a list's elements below it, in a room of the list's own segment.
    /// Before the gaps close, each such segment's declared start moves up to its lowest child, so the unused
    /// room becomes a gap between segments that collapse-range removes. Words in the segment are addressed
    /// relative to each other, except the one far pointer into it: the list pointer's landing pad, which
    /// the next checkpoint re-aims as a patch.
    /// </summary>
    private void RebaseStreamSegments()
    {
        foreach (var list in _lists)
        {
            if (1 + 3 * _lists.Count > CheckpointRecord.MaxPatches) return; // no room for the pads' patches
            int segment = list.SegmentId;
            ulong* pad = list.CountPointerAddress - 1;
            long tagOffset = list.TagAddress - _arena.GetSegmentStart(segment);
            if (*pad != WirePointer.Far(segment, (int)tagOffset, doubleFar: false)) continue; // not reached through a pad of its own
            long shift = _arena.RebaseStreamSegment(segment);
            if (shift == 0) continue;
            _rebasedPads.Add(new WordPatch((byte*)pad - _arena.Base, WirePointer.Far(segment, (int)(tagOffset - shift / 8), doubleFar: false)));
        }
    }

    /// <summary>
    /// Closes each gap a streaming list left: a tail of at most <see cref="MappedMessageOptions.CopyTailLimitBytes"/> is copied
    /// down; a larger one is removed with collapse-range where the file system supports it (no data moves),
    /// else moved down when at most <see cref="MoveTailLimitBytes"/>, else the gap is declared as zero
    /// padding at the end of the segment before it (the file keeps a hole there). A tail is moved only when
    /// that takes at most <see cref="MaxTailMoveChunks"/> chunks. On entry the last checkpoint describes the arena
    /// exactly (gaps as padding); each step keeps it so.
    /// </summary>
    private GapClosing CloseGaps()
    {
        var result = GapClosing.None;
        for (int i = _arena.SegmentCount - 2; i >= 0; i--)
        {
            var segments = _arena.Segments;
            long end = segments[i].End;
            long nextStart = segments[i + 1].Offset;
            if (nextStart == end) continue;

            // Collapse-range removes whole blocks: the part of the gap between block boundaries.
            long alignedEnd = NativeRange.AlignUp(end, MappedFileLayout.GapAlignment);
            long alignedNext = nextStart / MappedFileLayout.GapAlignment * MappedFileLayout.GapAlignment;
            long tailBytes = segments[_arena.SegmentCount - 1].End - nextStart;
            if (tailBytes <= Options.CopyTailLimitBytes && TryMoveTailDown(i, end, nextStart, tailBytes))
            {
                result |= GapClosing.Moved;
            }
            else if (alignedEnd < alignedNext && TryCollapseGap(i, alignedEnd, alignedNext))
            {
                result |= GapClosing.Collapsed;
            }
            else if (tailBytes <= MoveTailLimitBytes && TryMoveTailDown(i, end, nextStart, tailBytes))
            {
                result |= GapClosing.Moved;
            }
            else
            {
                // Declared as padding already: nothing in the file changes.
                _arena.PadSegmentTo(i, nextStart);
                result |= GapClosing.Padded;
            }
        }
        return result;
    }

    /// <summary>
    /// Closes the gap after segment <paramref name="segmentBefore"/> by copying everything above it down to
    /// <paramref name="end"/> (journaled). False (nothing changed) when the destination cannot be allocated.
    /// </summary>
    private bool TryMoveTailDown(int segmentBefore, long end, long nextStart, long tailBytes)
    {
        if (tailBytes > MaxTailMoveChunks * (nextStart - end) || !_file.TryAllocateRange(end, tailBytes)) return false;
        MoveBlockJournaled(PendingMove.Copy(nextStart, end, tailBytes));
        _arena.ShiftSegmentsAfter(segmentBefore, nextStart - end);
        return true;
    }

    /// <summary>
    /// Removes the gap [<paramref name="from"/>, <paramref name="to"/>) with collapse-range, announced first:
    /// repair tells by the file's length whether the kernel did it. False (nothing changed) when the file
    /// system cannot.
    /// </summary>
    private bool TryCollapseGap(int segmentBefore, long from, long to)
    {
        var last = LastCheckpoint!;
        long length = to - from;
        long fileBytes = new FileInfo(Path).Length;
        var announced = last with { Sequence = ++_sequence, Pending = PendingMove.Collapse(from, length, fileBytes) };
        FlushBeforeAnnouncing();
        MessageHeader.WriteRecord(_arena.Base, announced);
        FlushHeader();
        CrashPoints.Reach("collapse announced");
        if (!_file.TryCollapseRange(from, length))
        {
            // Withdraw the announcement: the layout is unchanged.
            LastCheckpoint = last with { Sequence = ++_sequence };
            MessageHeader.WriteRecord(_arena.Base, LastCheckpoint);
            return false;
        }
        // The collapse (a change of the file's extents and size) is on disk before any record that depends on it.
        _file.Flush(_messageOffset, 0, fsync: true);
        CrashPoints.Reach("collapse done");
        PublishLayout(announced.AfterPendingMove());
        // What is left of the gap (below the first whole block and above the last) stays as padding.
        _arena.ShiftSegmentsAfter(segmentBefore, length);
        _arena.PadSegmentTo(segmentBefore, _arena.Segments[segmentBefore + 1].Offset);
        return true;
    }

    /// <summary>
    /// Copies a block of the file (the segments after a streaming list, or a tail at finish) so that the
    /// last checkpoint survives a kill at any instant: the copy is announced in a record of the old layout,
    /// runs chunk by chunk with its progress in the header (<see cref="JournaledMove"/>), and only then is
    /// the checkpoint re-published at the new place. The destination must be allocated already.
    /// </summary>
    private void MoveBlockJournaled(PendingMove move)
    {
        var last = LastCheckpoint;
        if (last is not null)
        {
            FlushBeforeAnnouncing();
            // Its own flush: a torn header page must never pair the new announcement with the last move's count.
            JournaledMove.ResetProgress(_arena.Base, _messageOffset);
            FlushHeader();
            MessageHeader.WriteRecord(_arena.Base, last with { Sequence = ++_sequence, Pending = move });
            FlushHeader();
        }
        else
        {
            JournaledMove.ResetProgress(_arena.Base, _messageOffset);
        }
        CrashPoints.Reach("copy announced");
        JournaledMove.Run(_file, _messageOffset, move, stop: () => _file.IsFailed);
        // A write that failed (EIO, or truncation by someone else) went to a throwaway page: the journal
        // stays, and repair finishes the copy from the intact source.
        ThrowIfFailed();
        if (last is not null) PublishLayout(last.Shifted(move.ShiftFrom, move.Shift));
        CrashPoints.Reach("copy published");
    }

    /// <summary>
    /// Before a move is announced: the data the last checkpoint names, and the header that names it, reach the disk
    /// (msync + fdatasync). A move overwrites or removes bytes of the old layout, so after a power cut the record on
    /// disk must be one whose data is on disk too, whether or not the last checkpoint itself was flushed.
    /// </summary>
    private void FlushBeforeAnnouncing() => _file.FlushData(_messageOffset, UsedBytes - _messageOffset);

    /// <summary>The header page (records, table, progress word) reaches the disk before the bytes it announces move.</summary>
    private void FlushHeader() => _file.FlushData(_messageOffset, MappedFileLayout.DataStart(_messageOffset) - _messageOffset);

    /// <summary>Publishes <paramref name="layout"/> (same content as the last checkpoint, new places) as the newest record.</summary>
    private void PublishLayout(CheckpointRecord layout)
    {
        var record = layout with { Sequence = ++_sequence };
        PublishHeader(record);
        LastCheckpoint = record;
    }

    /// <summary>The table as it must read now: segment 0 from the end of the table, gaps counted as padding.</summary>
    private DeclaredSegment[] DeclareWithGapsAsPadding()
    {
        var segments = _arena.Segments;
        int count = segments.Length;
        while (count > 1 && segments[count - 1].Used == 0) count--;
        var declared = new DeclaredSegment[count];
        int tableBytes = Framing.GetTableSize(count);
        for (int i = 0; i < count; i++)
        {
            long start = i == 0 ? _messageOffset + tableBytes : segments[i].Offset;
            long end = i + 1 < count ? segments[i + 1].Offset : segments[i].End;
            declared[i] = new DeclaredSegment(start, (int)((end - start) / 8));
        }
        return declared;
    }

    private CheckpointRecord BuildRecord(MessageFileState state, DeclaredSegment[] segments)
    {
        byte* fileBase = _arena.Base;
        var patches = new List<WordPatch>(1 + 2 * _lists.Count)
        {
            new(segments[0].FileOffset, MessageHeader.RelocateRoot(*Message.RootSlot, MappedFileLayout.BuilderRootSlot(_messageOffset), segments[0].FileOffset)),
        };
        foreach (var list in _lists)
        {
            patches.Add(new WordPatch((byte*)list.CountPointerAddress - fileBase, *list.CountPointerAddress));
            patches.Add(new WordPatch((byte*)list.TagAddress - fileBase, *list.TagAddress));
        }
        patches.AddRange(_rebasedPads);
        var last = segments[^1];
        long end = last.FileOffset + (long)last.Words * 8;
        long committed = _lists.Sum(list => (long)list.CommittedCount);
        return new CheckpointRecord(state, ++_sequence, end, committed, segments, patches) { MessageOffset = _messageOffset };
    }

    /// <summary>Record first, then table and patches: a kill between the two still leaves a record that repair can apply.</summary>
    private void PublishHeader(CheckpointRecord record)
    {
        MessageHeader.WriteRecord(_arena.Base, record);
        MessageHeader.Write(_arena.Base, record);
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

/// <summary>How the gaps between lanes were closed at finish.</summary>
[Flags]
public enum GapClosing
{
    /// <summary>There was no gap (no streaming list, or it ended where the next segment begins).</summary>
    None = 0,

    /// <summary>Removed with collapse-range: nothing was copied.</summary>
    Collapsed = 1,

    /// <summary>The tail after the gap was copied down (journaled).</summary>
    Moved = 2,

    /// <summary>Declared as padding of the segment before it: the file keeps a hole there.</summary>
    Padded = 4,
}

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

/// <summary>
/// What <see cref="MappedMessageBuilder.ContinueInNextMessage"/> produced: the completed message, and the next
/// one, whose root is a copy of the previous root and whose open list starts again empty.
/// </summary>
public sealed class MessageContinuation
{
    internal MessageContinuation(MessageSummary completed, MappedMessageBuilder next, StructBuilder root,
        StreamingStructListBuilder? list, IReadOnlyList<StructBuilder> carried)
    {
        Completed = completed;
        Builder = next;
        Root = root;
        List = list;
        Carried = carried;
    }

    /// <summary>The message just completed (its Messages count includes it).</summary>
    public MessageSummary Completed { get; }

    /// <summary>The next message: use it (not the old builder) from here on; it owns the file.</summary>
    public MappedMessageBuilder Builder { get; }

    /// <summary>The next message's root: a copy of the previous root, streaming lists left out.</summary>
    public StructBuilder Root { get; }

    /// <summary>The list that was open, opened again (empty) in the next message; null if none was open.</summary>
    public StreamingStructListBuilder? List { get; }

    /// <summary>
    /// The copies of the structs passed as <c>carry</c>, in order; a null builder (<see cref="StructBuilder.IsNull"/>)
    /// for one the copy does not hold (not reachable from the root, or inside a streaming list).
    /// </summary>
    public IReadOnlyList<StructBuilder> Carried { get; }
}

/// <summary>A message cannot be appended to the file (it holds no messages, a truncated one, or one still being built).</summary>
public sealed class MessageAppendException : IOException
{
    /// <summary>Says why the message cannot be appended.</summary>
    public MessageAppendException(string message) : base(message) { }
}
