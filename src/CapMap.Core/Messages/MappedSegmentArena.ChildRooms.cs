using CapMap.Native;

namespace CapMap.Messages;

// Child rooms that grow downwards: a hole inserted at a sparse stream's segment start keeps its children near.

internal sealed unsafe partial class MappedSegmentArena
{
    /// <summary>
    /// The child room grows when its free part falls below this many bytes (0: it does not grow). A fifth of the
    /// first room, and it grows by the other four fifths (<see cref="_childRoomStep"/>), so the free part, which is
    /// a hole the file shows beyond its data, never exceeds the first room.
    /// </summary>
    private long _growChildRoomBelow;

    /// <summary>Bytes one growth of the child room adds at the segment's start (a multiple of the lanes' alignment, as insert-range wants).</summary>
    private long _childRoomStep;

    /// <summary>The open stream's child room: the first room plus every growth (holes and children alike).</summary>
    private long _childRoomBytes;

    /// <summary>Words the open stream's content has moved up inside its segment as its child room grew (see <see cref="Wire.IStreamingArena.StreamShiftWords"/>).</summary>
    public long StreamShiftWords { get; private set; }

    /// <summary>Times a sparse stream's child room grew downwards (diagnostics, benchmarks).</summary>
    public int ChildRoomInserts { get; private set; }

    /// <summary>Sets the growth step and threshold from the room a sparse stream opened with.</summary>
    private void PlanChildRoomGrowth(long firstRoomBytes)
    {
        StreamShiftWords = 0;
        _childRoomBytes = firstRoomBytes;
        _childRoomStep = AlignDown(firstRoomBytes * 4 / 5, MappedFileLayout.GapAlignment);
        _growChildRoomBelow = _childRoomStep == 0 ? 0 : firstRoomBytes - _childRoomStep;
    }

    /// <summary>
    /// The stream's child room is running low: insert-range puts a hole at the start of the stream's segment, so
    /// the elements' children go on being placed downwards, reached by near pointers, with no landing pad. Everything
    /// from the segment's start up (children, tag, elements, the lanes after) shifts up in the file and so in the
    /// mapping; the segment keeps its declared start, so offsets inside it grow by the step, and the only pointer
    /// that names such an offset, the far pointer into the segment (the list's landing pad), is re-aimed by the owner
    /// (<see cref="_insertChildRoom"/>), which also announces the insert so a kill at any instant repairs. Called only
    /// at an Append boundary, when no builder of the element being filled holds an address. When the file system
    /// refuses, the room would pass an eighth of the segment's limit, or the segment limit or the reserve forbids,
    /// the room stays as it is for good: children past it go to the main lane behind far pointers, as they always could.
    /// </summary>
    private void TryGrowChildRoom()
    {
        ref var stream = ref _segments[_stream];
        long step = _childRoomStep;
        // The list keeps room for an element step within its segment limit (the list shortens its capacity to what is left).
        long limitBytes = AlignDown((long)_maxStreamWords * 8, MappedFileLayout.GapAlignment) - MappedFileLayout.GapAlignment;
        // Every byte the room grows is a byte less for the elements (a segment, and so the list, holds at most 4 GiB):
        // unbounded, a list whose children outweigh its elements filled its segment at a quarter of the elements it
        // held when children went to the main lane (the bench's 44 M records of 9 words stopped at 12 M). So the room
        // stays within the share it may open with, an eighth: seven eighths of the segment remain the list's.
        bool fits = _childRoomBytes + step <= limitBytes / ChildRoomDivisor
            && (long)stream.Used * 8 + step + _rooms.ElementRoomStepBytes <= limitBytes
            && _segments[_count - 1].End + step <= _reserve;
        if (!fits || !_insertChildRoom(stream.Offset, step, () => MoveStreamContentUp(step)))
            _growChildRoomBelow = 0;
    }

    /// <summary>
    /// The file shifted up by <paramref name="bytes"/> from the stream segment's start: the segment keeps its start
    /// and gains the hole below its children, its content and every lane after it sit that much further up.
    /// </summary>
    private void MoveStreamContentUp(long bytes)
    {
        ref var stream = ref _segments[_stream];
        stream.ChildLow += bytes;
        stream.ChildCommittedLow += bytes;
        // The elements' allocated blocks moved up with them; the hole below is allocated as children fill it (Eager).
        stream.CommittedEnd += bytes;
        stream.Used += (int)(bytes / 8);
        stream.Capacity += (int)(bytes / 8);
        MoveSegmentsUpAfter(_stream, bytes);
        StreamShiftWords += bytes / 8;
        _childRoomBytes += bytes;
        ChildRoomInserts++;
    }
}
