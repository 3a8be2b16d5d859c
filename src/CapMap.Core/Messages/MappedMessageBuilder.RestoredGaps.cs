using CapMap.Mapping;
using CapMap.Wire;

namespace CapMap.Messages;

// Restored gaps: repair cuts a restored checkpoint down to its data with Complete's own rebasing and gap closing.

public sealed unsafe partial class MappedMessageBuilder
{
    /// <summary>
    /// Cuts the file of a checkpoint that <see cref="MessageRepair"/> has just restored (and verified) down to its
    /// data, the way <see cref="Complete"/> cuts a finished message: each segment's start moves up to its first word
    /// of data (<see cref="MappedSegmentArena.RebaseStreamSegment"/>: the unused child room of a sparse list becomes a
    /// gap), then <see cref="CloseGaps"/> closes every gap (a small tail copied down, journaled; a large one removed
    /// with collapse-range; padding where neither works) and the file is cut. The message stays at its checkpoint.
    /// </summary>
    /// <remarks>
    /// Crash-safe at every instant, as Complete is: every step publishes a record that describes the file as it is,
    /// and each move is announced first, so a kill or a power cut leaves a file that repair restores to the same
    /// records. The builder made here only describes the file: it is never disposed (the caller owns
    /// <paramref name="file"/>) and nothing is appended through it.
    /// </remarks>
    /// <param name="file">The repaired file, locked and mapped by the caller.</param>
    /// <param name="restored">The record the file agrees with now (its table and patches are written).</param>
    /// <param name="segments">Per segment: its start as the builder sees it, its first word of data, the end of its data.</param>
    /// <param name="farWords">File offsets of the words that name a segment with an offset from its start, and that segment.</param>
    /// <param name="copyTailLimitBytes">A tail of at most this many bytes is copied down rather than collapsed.</param>
    internal static (CheckpointRecord Record, GapClosing Gaps) CutRestoredCheckpoint(MappedFile file, CheckpointRecord restored,
        IReadOnlyList<(long Start, long DataStart, long DataEnd)> segments, IReadOnlyList<(int Segment, long FileOffset)> farWords, long copyTailLimitBytes)
    {
        var options = new MappedMessageOptions { CompactLanes = true, CopyTailLimitBytes = copyTailLimitBytes };
        var builder = new MappedMessageBuilder(file, options, restored.MessageOffset) { _sequence = restored.Sequence, LastCheckpoint = restored };
        builder._arena.RestoreSegments(segments);
        return builder.CutToData(farWords);
    }

    private (CheckpointRecord Record, GapClosing Gaps) CutToData(IReadOnlyList<(int Segment, long FileOffset)> farWords)
    {
        RebaseRestoredSegments(farWords);
        var gaps = CloseGaps();
        ThrowIfFailed();
        var record = LastCheckpoint!;
        System.Diagnostics.Debug.Assert(record.Segments.SequenceEqual(DeclareWithGapsAsPadding()), "the checkpoint and the arena disagree on the layout");
        if (new FileInfo(Path).Length != record.EndOffset)
        {
            _file.SetLength(record.EndOffset);
            _file.Flush(_messageOffset, 0, fsync: true);
            CrashPoints.Reach("repair: file cut");
        }
        return (record, gaps);
    }

    /// <summary>
    /// Moves each segment's declared start up to its first word of data, so what lies below it becomes padding of the
    /// segment before: a gap <see cref="CloseGaps"/> removes. Words inside a segment address each other relative to
    /// themselves; only the words that name it by offset (far pointers and double-far pads) are re-aimed, as patches.
    /// </summary>
    /// <remarks>
    /// Two records, so a power cut that writes back any subset of the pages before the fsync leaves a record that
    /// agrees with the words on disk: the first adds the words' present values as patches (it changes no layout),
    /// and only once it is durable does the second declare the new starts with the re-aimed values.
    /// </remarks>
    private void RebaseRestoredSegments(IReadOnlyList<(int Segment, long FileOffset)> farWords)
    {
        var last = LastCheckpoint!;
        var present = new List<WordPatch>();
        var reaimed = new List<WordPatch>();
        for (int segment = 1; segment < _arena.SegmentCount; segment++)
        {
            var naming = farWords.Where(w => w.Segment == segment).Select(w => w.FileOffset).ToList();
            // No room in the record for the re-aimed words: the room stays, declared as padding.
            if (last.Patches.Count + present.Count + naming.Count > CheckpointRecord.MaxPatches) continue;
            long shift = _arena.RebaseStreamSegment(segment);
            if (shift == 0) continue;
            foreach (long offset in naming)
            {
                ulong word = *(ulong*)(_arena.Base + offset);
                present.Add(new WordPatch(offset, word));
                reaimed.Add(new WordPatch(offset, WirePointer.Far(segment, WirePointer.FarLandingPadOffset(word) - (int)(shift / 8), WirePointer.FarIsDouble(word))));
            }
        }
        if (reaimed.Count == 0 && DeclareWithGapsAsPadding().SequenceEqual(last.Segments)) return;

        MessageHeader.WriteRecord(_arena.Base, WithPatches(last, present) with { Sequence = ++_sequence });
        FlushHeader();
        var declared = DeclareWithGapsAsPadding();
        var end = declared[^1];
        PublishLayout(WithPatches(last, reaimed) with { Segments = declared, EndOffset = end.FileOffset + (long)end.Words * 8 });
        _file.Flush(_messageOffset, EndOffset - _messageOffset, fsync: true);
        CrashPoints.Reach("repair: segments rebased");
    }

    /// <summary>The record with <paramref name="patches"/> added; one at the offset of an existing patch replaces it.</summary>
    private static CheckpointRecord WithPatches(CheckpointRecord record, IReadOnlyList<WordPatch> patches)
    {
        var offsets = patches.Select(p => p.FileOffset).ToHashSet();
        return record with { Patches = record.Patches.Where(p => !offsets.Contains(p.FileOffset)).Concat(patches).ToArray() };
    }
}
