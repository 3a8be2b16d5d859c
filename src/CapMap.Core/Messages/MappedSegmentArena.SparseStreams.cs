using System.Runtime.CompilerServices;
using CapMap.Native;
using CapMap.Wire;

namespace CapMap.Messages;

// Sparse streams: a list in a segment of its own, its children below it, its room widened by insert-range.

internal sealed unsafe partial class MappedSegmentArena
{
    /// <summary>
    /// The share of a sparse stream's segment kept below the list for its elements' children when the segment
    /// is small (a small reserve); otherwise the room is <see cref="SparseLaneRooms.ChildRoomBytes"/>. Growing
    /// downwards (<see cref="TryGrowChildRoom"/>), the room never passes this share of the segment's limit either.
    /// </summary>
    private const int ChildRoomDivisor = 8;

    /// <summary>Children of a sparse stream's elements, placed below what is already there (see <see cref="Segment.ChildLow"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ulong* TryAllocateChild(ref Segment segment, int words)
    {
        long low = segment.ChildLow - (long)words * 8;
        if (low < segment.ChildFloor) return null;
        CountAllocation(words);
        segment.ChildLow = low;
        if (_eager && low < segment.ChildCommittedLow) CommitChildrenAhead(ref segment);
        return (ulong*)(_base + low);
    }

    /// <summary>
    /// Opens the stream in a segment of its own, a hole of bounded size: the first part
    /// (<see cref="SparseLaneRooms.ChildRoomBytes"/>) is room for the elements' children, placed downwards from the tag so
    /// each element reaches its children with near pointers; the list grows upwards from the tag into
    /// <see cref="SparseLaneRooms.ElementRoomStepBytes"/>, and insert-range adds room before the segments after it
    /// when the list fills it (<see cref="TryInsertStreamRoom"/>); the child room grows downwards the same way, at the
    /// segment's start (<see cref="TryGrowChildRoom"/>). No byte is copied while building; Complete
    /// moves the segment's declared start up to its lowest child (<see cref="RebaseStreamSegment"/>) and closes
    /// both unused parts. False when the layout does not fit.
    /// </summary>
    private bool TryBeginSparseStream(int words, out int streamSegment, out int offset)
    {
        streamSegment = offset = -1;
        ref var before = ref _segments[_current];
        long start = NativeRange.AlignUp(before.End, MappedFileLayout.GapAlignment);
        // The segment before keeps the alignment padding: its declared size must stay within the limit.
        long declaredBefore = _current == 0 ? start - (MessageOffset + 8) : start - before.Offset;
        if (before.Used == 0 || declaredBefore / 8 > WireLimits.MaxSegmentWords || start >= _reserve) return false;
        _maxStreamWords = (int)Math.Min(WireLimits.MaxSegmentWords, (_reserve - start) / 8);
        long limit = SparseLaneEnd(start);
        long tag = start + Math.Min(AlignDown((limit - start) / ChildRoomDivisor, MappedFileLayout.GapAlignment), _rooms.ChildRoomBytes);
        long mainStart = Math.Min(limit, NativeRange.AlignUp(tag + (long)words * 8 + _rooms.ElementRoomStepBytes, MappedFileLayout.GapAlignment));
        if (mainStart - tag < (long)words * 8 + 2L * MappedFileLayout.GapAlignment || mainStart >= _reserve) return false;

        CountAllocation(words);
        before.Capacity = before.Used; // the stream's segment begins after it
        int stream = OpenSegment(start, StreamCapacityBefore(mainStart, start), tag);
        ref var segment = ref _segments[stream];
        segment.Used = (int)((tag - start) / 8) + words;
        segment.ChildLow = segment.ChildCommittedLow = tag;
        segment.ChildFloor = start;
        if (_eager) CommitAhead(ref segment);
        _stream = stream;
        offset = (int)((tag - start) / 8);
        PlanChildRoomGrowth(tag - start);
        _streamExtensions.Add(0);
        _current = OpenSegment(mainStart, (int)Math.Min(WireLimits.MaxSegmentWords, (_reserve - mainStart) / 8), mainStart);
        streamSegment = stream;
        return true;
    }

    /// <summary>Eager growth of a child room: allocate a chunk below its lowest child (it grows downwards).</summary>
    private void CommitChildrenAhead(ref Segment segment)
    {
        long step = _file.GrowthStepBytes; // in proportion, and within the free space
        long from = Math.Max(segment.ChildFloor, AlignDown(segment.ChildLow - step / 2, step));
        long length = segment.ChildCommittedLow - from;
        _file.EnsureRangeCommitted(from, length, length);
        segment.ChildCommittedLow = from;
    }

    /// <summary>
    /// At Complete: moves the declared start of a sparse stream's segment up to its lowest child, so the
    /// unused child room becomes padding of the segment before it, a gap that closing the gaps removes (to
    /// the byte by a copy; by collapse-range between the block boundaries inside it). The caller re-aims the one far pointer into the segment (the list's landing
    /// pad). Returns the bytes the start moved (0: nothing to do). No byte of the file changes.
    /// </summary>
    internal long RebaseStreamSegment(int index)
    {
        ref var segment = ref _segments[index];
        if (segment.ChildLow == 0 || index == _stream) return 0;
        long newOffset = segment.ChildLow;
        long shift = newOffset - segment.Offset;
        segment.ChildLow = segment.ChildFloor = 0; // no more children here
        if (shift <= 0) return 0;
        segment.Offset = newOffset;
        segment.Used -= (int)(shift / 8);
        segment.Capacity -= (int)(shift / 8);
        return shift;
    }

    /// <summary>
    /// The most a sparse stream's first room may reach: the segment limit, but leaving at least half of the
    /// remaining reserve to the other lanes (a small reserve then gets a smaller room).
    /// </summary>
    private long SparseLaneEnd(long streamOffset)
    {
        long segmentLimit = AlignDown(streamOffset + (long)_maxStreamWords * 8, MappedFileLayout.GapAlignment);
        long halfReserve = AlignDown(streamOffset + (_reserve - streamOffset) / 2, MappedFileLayout.GapAlignment);
        return Math.Min(segmentLimit, halfReserve);
    }

    /// <summary>
    /// Sparse lanes: the stream has reached the segments after it, so the file system inserts a hole before them
    /// (insert-range), <see cref="SparseLaneRooms.ElementRoomStepBytes"/> at a time. Their blocks shift up in the file
    /// and so in the mapping, exactly as a copy would move them, but no byte is copied: the kernel rewrites extents
    /// (and writes back the dirty pages from there on, which a flush does anyway). Steps of a fixed size, not
    /// doubling: an insert costs the same whatever it shifts, and the unused part of the last step is what the
    /// file shows beyond its data. False (nothing changed) when the file system refuses or the reserve or the
    /// segment limit forbids; the caller then moves the segments with a copy.
    /// </summary>
    private bool TryInsertStreamRoom(long neededWords)
    {
        ref var stream = ref _segments[_stream];
        long oldNext = _segments[_stream + 1].Offset;
        long streamLimit = stream.Offset + AlignDown((long)_maxStreamWords * 8, MappedFileLayout.GapAlignment);
        long newNext = NativeRange.AlignUp(
            Math.Max(oldNext + _rooms.ElementRoomStepBytes, stream.Offset + neededWords * 8 + MappedFileLayout.GapAlignment),
            MappedFileLayout.GapAlignment);
        newNext = Math.Min(newNext, streamLimit);
        if (newNext < stream.Offset + neededWords * 8 + MappedFileLayout.GapAlignment || newNext <= oldNext) return false;
        long shift = newNext - oldNext;
        if (_segments[_count - 1].End + shift > _reserve || !_insertHole(oldNext, shift)) return false;

        // The hole reads as zeros, as every arena's memory must; the stream's own growth allocates it (in Eager
        // growth the stream may have committed into the lanes' blocks, which moved away with them).
        stream.CommittedEnd = Math.Min(stream.CommittedEnd, oldNext);
        MoveSegmentsUpAfter(_stream, shift);
        stream.Capacity = StreamCapacityBefore(newNext, stream.Offset);
        StreamRoomInserts++;
        return true;
    }

    /// <summary>Times insert-range added room for a sparse stream (diagnostics, benchmarks).</summary>
    public int StreamRoomInserts { get; private set; }
}
