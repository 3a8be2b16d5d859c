using CapMap.Wire;

namespace CapMap.Messages;

// Child rooms: a sparse list's room for its elements' children grows downwards, at its segment's start.

public sealed unsafe partial class MappedMessageBuilder
{
    /// <summary>
    /// Puts a hole of <paramref name="length"/> bytes at <paramref name="offset"/>, the start of the open sparse list's
    /// segment, so its child room grows downwards (<see cref="MappedSegmentArena"/>'s TryGrowChildRoom). Everything from
    /// there on shifts up; the segment keeps its declared start, so the one far pointer into it, the list's landing pad,
    /// must name an offset <paramref name="length"/> bytes further on. Announced like every insert (a kill before the
    /// insert leaves the last checkpoint; after it, repair reads that checkpoint shifted, the new room as padding of
    /// the segment before); then the layout with the segment from its old start is published with the re-aimed pad
    /// as a patch of the record, so the file agrees with one record at every instant. False (nothing changed) when
    /// the list is not reached through a pad of its own or the file system refuses.
    /// </summary>
    /// <param name="offset">File offset of the list segment's start, where the hole goes.</param>
    /// <param name="length">Bytes of the hole: a whole number of file-system blocks.</param>
    /// <param name="moveView">The arena's bookkeeping, run once the file has shifted.</param>
    private bool TryInsertChildRoomJournaled(long offset, long length, Action moveView)
    {
        var list = _lists.LastOrDefault(l => !l.IsCompleted);
        if (list is null || !ReachedThroughOwnPad(list)) return false;
        ulong padBefore = *(list.CountPointerAddress - 1);
        var padAfter = WirePointer.Far(list.SegmentId, WirePointer.FarLandingPadOffset(padBefore) + (int)(length / 8), doubleFar: false);
        long padOffset = 0;
        void ShiftAndFindPad()
        {
            moveView();
            padOffset = (byte*)(list.CountPointerAddress - 1) - _arena.Base;
        }
        // The list's tag is in the file since the list opened; a file shorter than that was cut by someone else.
        long fileBytes = new FileInfo(Path).Length;
        if (fileBytes <= offset || !TryShiftJournaled(PendingMove.Insert(offset, length, fileBytes), _file.TryInsertRange, "child room insert",
                     ShiftAndFindPad, last => WithPad(last.Shifted(offset + 8, length), padOffset, padAfter)))
            return false;
        // Published as a patch, the pad is written already; without a checkpoint (or past its end) no record names it.
        *(ulong*)(_arena.Base + padOffset) = padAfter;
        return true;
    }

    /// <summary>True when the list's pointer reaches its tag through a landing pad that names the tag's offset in the list's segment.</summary>
    private bool ReachedThroughOwnPad(StreamingStructListBuilder list)
    {
        long tagOffset = list.TagAddress - _arena.GetSegmentStart(list.SegmentId);
        return list.CountPointerAddress != list.SlotAddress
            && *(list.CountPointerAddress - 1) == WirePointer.Far(list.SegmentId, (int)tagOffset, doubleFar: false);
    }

    /// <summary>
    /// <paramref name="layout"/> with the pad word at <paramref name="padOffset"/> patched to <paramref name="value"/>
    /// (an earlier patch of that word replaced), when the layout covers it; as it is otherwise.
    /// </summary>
    private static CheckpointRecord WithPad(CheckpointRecord layout, long padOffset, ulong value)
    {
        if (padOffset + 8 > layout.EndOffset) return layout;
        var patches = layout.Patches.Where(p => p.FileOffset != padOffset).Append(new WordPatch(padOffset, value)).ToArray();
        return layout with { Patches = patches };
    }
}
