using System.Diagnostics;
using CapMap.Wire;

namespace CapMap.Messages;

// Finish: completing the message, with the lanes' segments rebased before their gaps close.

public sealed unsafe partial class MappedMessageBuilder
{
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
            StreamRoomInserts = _arena.StreamRoomInserts,
            ChildRoomInserts = _arena.ChildRoomInserts,
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
    /// record, and only once that record is durable (<see cref="PublishHeader"/>), so until then the file, on disk
    /// as in memory, still agrees with the previous one.
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
}
