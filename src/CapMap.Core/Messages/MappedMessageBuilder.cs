using System.Diagnostics;
using CapMap.Mapping;
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

    /// <summary>Each list contributes two patches to a checkpoint record; the root takes one.</summary>
    public static int MaxStreamingLists => (CheckpointRecord.MaxPatches - 1) / 2;

    private readonly MappedFile _file;
    private readonly MappedSegmentArena _arena;
    private readonly List<StreamingStructListBuilder> _lists = new();
    private long _sequence;
    private bool _completed;
    private bool _disposed;

    private MappedMessageBuilder(MappedFile file, MappedMessageOptions options)
    {
        _file = file;
        Options = options;
        _arena = new MappedSegmentArena(file);
        _arena.SegmentsMoved += ReaimLastCheckpoint;
        Message = new MessageBuilder(_arena);
    }

    /// <summary>Creates the file (new, unless <see cref="MappedMessageOptions.Overwrite"/>), locks it and maps it.</summary>
    /// <exception cref="MappedFileExistsException">The file exists and Overwrite was not given.</exception>
    /// <exception cref="FileLockedException">Another writer holds the file.</exception>
    public static MappedMessageBuilder Create(string path, MappedMessageOptions? options = null)
    {
        options ??= new MappedMessageOptions();
        var file = MappedFile.Create(path, options.ToFileOptions());
        try
        {
            return new MappedMessageBuilder(file, options);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public MappedMessageOptions Options { get; }
    public string Path => _file.Path;
    public GrowthMode Growth => _file.Growth;

    /// <summary>The message being built; its root pointer is segment 0, word 0 of the mapped arena.</summary>
    public MessageBuilder Message { get; }

    public bool IsCompleted => _completed;
    public bool IsFailed => !_disposed && _file.IsFailed;

    /// <summary>Bytes from the start of the file to the end of the last allocated word.</summary>
    public long UsedBytes
    {
        get
        {
            var segments = _arena.Segments;
            long end = MappedFileLayout.HeaderBytes;
            foreach (var segment in segments) end = Math.Max(end, segment.End);
            return end;
        }
    }

    /// <summary>Bytes the file has been grown to.</summary>
    public long CommittedBytes => _disposed ? 0 : _file.CommittedBytes;

    public int SegmentCount => _arena.SegmentCount;

    /// <summary>SIGBUS faults the growth handler served for this file.</summary>
    public long FaultCount => _disposed ? 0 : _file.FaultCount;

    /// <summary>The last checkpoint written (null before the first).</summary>
    public CheckpointRecord? LastCheckpoint { get; private set; }

    /// <summary>Elements appended to streaming lists so far.</summary>
    public long AppendedCount => _lists.Sum(list => (long)list.Count);

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
        var list = parent.InitStreamingStructList(pointerIndex, dataWords, pointerCount);
        _lists.Add(list);
        return list;
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
        if (offset < 0 || offset + 8 > last.MessageBytes || last.Patches.Any(p => p.FileOffset == offset)) return;
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
        if (flush) _file.Flush(0, record.MessageBytes, fsync: false);
        PublishHeader(record);
        if (flush) _file.Flush(0, MappedFileLayout.HeaderBytes, fsync: true);
        ThrowIfFailed();
        LastCheckpoint = record;
        return record;
    }

    /// <summary>
    /// Finishes the message: completes open lists, closes the gaps streaming left between segments,
    /// writes the segment table and root, cuts the file to the bytes used, and (unless
    /// <paramref name="flush"/> is false) msyncs and fsyncs. The file is closed afterwards.
    /// </summary>
    public MessageSummary Complete(bool flush = true)
    {
        ThrowIfUnusable();
        var watch = Stopwatch.StartNew();
        foreach (var list in _lists) list.Complete();
        _arena.DropEmptyTail();
        var gapStrategy = CloseGaps();
        ThrowIfFailed();

        var record = BuildRecord(MessageFileState.Complete, DeclareWithGapsAsPadding());
        PublishHeader(record);
        _file.SetLength(record.MessageBytes);
        if (flush) _file.Flush(0, record.MessageBytes, fsync: true);
        ThrowIfFailed();

        var summary = new MessageSummary(Path, record.MessageBytes, record.Segments.Select(s => s.Words).ToArray(),
            AppendedCount, _file.FaultCount, Growth, gapStrategy, watch.Elapsed);
        _completed = true;
        LastCheckpoint = record;
        _file.Dispose();
        _disposed = true;
        return summary;
    }

    /// <summary>
    /// Closes each gap a streaming list left: collapse-range where the file system supports it (no data
    /// moves), else move a small tail down, else declare the gap as zero padding at the end of the
    /// segment before it (the file keeps a hole there).
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

            long alignedEnd = MappedSegmentArena.AlignUp(end, MappedFileLayout.GapAlignment);
            long tailBytes = segments[_arena.SegmentCount - 1].End - nextStart;
            if (alignedEnd < nextStart && _file.TryCollapseRange(alignedEnd, nextStart - alignedEnd))
            {
                _arena.PadSegmentTo(i, alignedEnd);
                _arena.ShiftSegmentsAfter(i, nextStart - alignedEnd);
                result |= GapClosing.Collapsed;
            }
            else if (tailBytes <= MoveTailLimitBytes)
            {
                _file.EnsureRangeCommitted(end, tailBytes);
                Buffer.MemoryCopy(_arena.Base + nextStart, _arena.Base + end, tailBytes, tailBytes);
                _arena.ShiftSegmentsAfter(i, nextStart - end);
                result |= GapClosing.Moved;
            }
            else
            {
                _arena.PadSegmentTo(i, nextStart);
                result |= GapClosing.Padded;
            }
        }
        return result;
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
            long start = i == 0 ? tableBytes : segments[i].Offset;
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
            new(segments[0].FileOffset, MessageHeader.RelocateRoot(*Message.RootSlot, (int)segments[0].FileOffset)),
        };
        foreach (var list in _lists)
        {
            patches.Add(new WordPatch((byte*)list.CountPointerAddress - fileBase, *list.CountPointerAddress));
            patches.Add(new WordPatch((byte*)list.TagAddress - fileBase, *list.TagAddress));
        }
        var last = segments[^1];
        long messageBytes = last.FileOffset + (long)last.Words * 8;
        long committed = _lists.Sum(list => (long)list.CommittedCount);
        return new CheckpointRecord(state, ++_sequence, messageBytes, committed, segments, patches);
    }

    /// <summary>
    /// The segments after a streaming list moved up the file: the last checkpoint still describes the
    /// same data, now <paramref name="shift"/> bytes further on. Publish it re-aimed (a new record, same
    /// content) before the arena clears the old copy, so repair after a kill finds the data it names.
    /// </summary>
    private void ReaimLastCheckpoint(long from, long shift)
    {
        if (LastCheckpoint is not { } last) return;
        var segments = last.Segments.Select(s => s.FileOffset >= from ? s with { FileOffset = s.FileOffset + shift } : s).ToArray();
        for (int i = 0; i + 1 < segments.Length; i++)
            segments[i] = segments[i] with { Words = (int)((segments[i + 1].FileOffset - segments[i].FileOffset) / 8) };
        var patches = last.Patches.Select(p => p.FileOffset >= from ? p with { FileOffset = p.FileOffset + shift } : p).ToArray();
        var end = segments[^1];
        var moved = last with
        {
            Sequence = ++_sequence,
            Segments = segments,
            Patches = patches,
            MessageBytes = end.FileOffset + (long)end.Words * 8,
        };
        PublishHeader(moved);
        LastCheckpoint = moved;
    }

    /// <summary>Record first, then table and patches: a kill between the two still leaves a record that repair can apply.</summary>
    private void PublishHeader(CheckpointRecord record)
    {
        MessageHeader.WriteRecord(_arena.Base, record);
        MessageHeader.Write(_arena.Base, record.Segments, record.Patches);
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
                _file.SetLength(record.MessageBytes);
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
    None = 0,
    Collapsed = 1,
    Moved = 2,
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
    TimeSpan FinishTime);
