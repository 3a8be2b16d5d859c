using System.Runtime.CompilerServices;
using CapMap.Mapping;
using CapMap.Native;
using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>
/// Segments laid out inside one growing file mapping. Allocation is a bump pointer through the file:
/// the current ("main") segment grows until it is full, then the next one starts exactly where it
/// ended, so consecutive segments need no gap. A streaming list takes over the tail of the current
/// segment; the main lane then continues in a new segment a gap further on. With sparse lanes (see
/// <see cref="SparseLanes"/>: collapse-range and insert-range available, no file-size limit) the gap is a
/// hole of bounded size (<see cref="SparseLaneRooms.ChildRoomBytes"/> below the list for its elements' children,
/// <see cref="SparseLaneRooms.ElementRoomStepBytes"/> above it for the elements), and when the stream fills it
/// the file system inserts another hole before the segments after it (insert-range: their blocks shift, no
/// byte is copied; when the children fill theirs, one at the start of the stream's segment), so no byte moves
/// while building and the file is never more than its data plus those holes. Otherwise the gap starts small; when the stream fills it, the segments after it move up (a copy)
/// and the gap doubles, so the file stays compact (a file-size limit or a full disk is met where the data
/// really is). Finish closes the last gap.
/// </summary>
/// <remarks>
/// Invariant the header relocation relies on: no far pointer ever lands in segment 0. Objects placed
/// "anywhere" always go to the current main segment, which is segment 0 only while it is the only
/// segment; once another segment exists, far pointers aim at segments 1 and up.
/// </remarks>
internal sealed unsafe partial class MappedSegmentArena : IStreamingArena
{
    private readonly MappedFile _file;
    private readonly byte* _base;
    private readonly long _reserve;
    private readonly bool _eager;
    private readonly bool _sparseLanes;
    private readonly Segment[] _segments = new Segment[MappedFileLayout.MaxSegments];
    private int _count;
    private int _current;
    private int _stream = -1;
    // Move epochs (see ISegmentArena.GetMoveEpoch): a segment opened while a stream is open may move each time
    // that stream is extended, so its epoch is the count of that stream's extensions; other segments never move.
    private readonly int[] _openedDuringStream = new int[MappedFileLayout.MaxSegments];
    private readonly List<long> _streamExtensions = new();

    internal struct Segment
    {
        /// <summary>File offset of the segment's word 0 as the builder sees it.</summary>
        public long Offset;
        public int Used;
        public int Capacity;
        /// <summary>Eager mode: the file range up to here is already allocated.</summary>
        public long CommittedEnd;
        /// <summary>
        /// A sparse stream's child room: the children of its elements are placed downwards from the list's
        /// tag (file offset <see cref="ChildLow"/>, the lowest child so far) to <see cref="ChildFloor"/>, so
        /// element pointers are near pointers with negative offsets. ChildLow is 0 when there is no room.
        /// </summary>
        public long ChildLow;
        public long ChildFloor;
        /// <summary>Eager mode: the child room from here up to the tag is already allocated.</summary>
        public long ChildCommittedLow;

        public readonly long End => Offset + (long)Used * 8;
    }

    /// <summary>Moves a block of the file for the arena; the owner journals it so a kill mid-move stays restorable.</summary>
    private readonly Action<PendingMove> _moveBlock;

    /// <summary>
    /// Inserts a hole into the file (<see cref="PendingMove.Insert"/>), announced by the owner so a kill at any
    /// instant stays restorable; false when the file system refused, the file then unchanged.
    /// </summary>
    private readonly Func<long, long, bool> _insertHole;

    /// <summary>
    /// Inserts a hole at the start of a sparse stream's segment (see <see cref="TryGrowChildRoom"/>): the owner announces
    /// it, runs the arena's bookkeeping (the <see cref="Action"/>) once the file has shifted, and re-aims the one far
    /// pointer into the segment; false (nothing changed) when it cannot.
    /// </summary>
    private readonly Func<long, long, Action, bool> _insertChildRoom;

    /// <summary>The holes of a sparse stream (meaningful only with <see cref="SparseLanes"/>).</summary>
    private readonly SparseLaneRooms _rooms;

    /// <param name="file">The mapped file the segments live in.</param>
    /// <param name="messageOffset">File offset of the message's segment table.</param>
    /// <param name="moveBlock">Copies a block of the file, journaled by the owner.</param>
    /// <param name="insertHole">Inserts a hole with insert-range, announced by the owner; false when the file system refused.</param>
    /// <param name="insertChildRoom">Inserts a hole at a sparse stream's segment start, announced by the owner, who also re-aims the far pointer into it.</param>
    /// <param name="sparseRooms">The holes a stream keeps where sparse lanes are allowed; null: compact lanes.</param>
    public MappedSegmentArena(MappedFile file, long messageOffset, Action<PendingMove> moveBlock, Func<long, long, bool> insertHole,
        Func<long, long, Action, bool> insertChildRoom, SparseLaneRooms? sparseRooms)
    {
        _file = file;
        _sparseLanes = sparseRooms is not null;
        _rooms = sparseRooms ?? default;
        _moveBlock = moveBlock;
        _insertHole = insertHole;
        _insertChildRoom = insertChildRoom;
        MessageOffset = messageOffset;
        _base = file.Base;
        _reserve = file.ReservedBytes;
        _eager = file.Growth == GrowthMode.Eager;
        // The header page always exists, so checkpoints and finish never fault on it.
        long dataStart = MappedFileLayout.DataStart(messageOffset);
        file.EnsureRangeCommitted(messageOffset, dataStart - messageOffset);
        long offset = MappedFileLayout.BuilderRootSlot(messageOffset);
        // Segment 0 is declared from the end of the table, which may be as early as 8 bytes into the
        // message: keep its capacity such that the declared size can never exceed the segment limit.
        int capacity = (int)Math.Min(WireLimits.MaxSegmentWords - (offset - (messageOffset + 8)) / 8, (_reserve - offset) / 8);
        _segments[0] = new Segment { Offset = offset, Capacity = capacity, CommittedEnd = dataStart };
        _openedDuringStream[0] = -1;
        _count = 1;
    }

    public int SegmentCount => _count;
    public int MaxSegmentWords => WireLimits.MaxSegmentWords - 2 * MappedFileLayout.HeaderBytes / 8;

    /// <summary>File offset where this message (its segment table) starts: 0, or past the messages it was appended to.</summary>
    public long MessageOffset { get; }
    public bool IsStreaming => _stream >= 0;

    /// <summary>True when a stream's gap is a bounded hole that insert-range widens (no byte copied while building).</summary>
    public bool SparseLanes => _sparseLanes;

    internal ReadOnlySpan<Segment> Segments => _segments.AsSpan(0, _count);

    /// <summary>Bytes of every segment's words handed out so far; the unused part of a child room is a hole, not data.</summary>
    public long AllocatedBytes
    {
        get
        {
            long bytes = 0;
            foreach (var segment in Segments)
                bytes += (long)segment.Used * 8 - (segment.ChildLow != 0 ? segment.ChildLow - segment.Offset : 0);
            return bytes;
        }
    }
    internal byte* Base => _base;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong* GetSegmentStart(int segmentId) => (ulong*)(_base + _segments[segmentId].Offset);

    public int GetSegmentWordCount(int segmentId) => _segments[segmentId].Used;

    /// <summary>
    /// Bytes handed out between two looks at the file's failure flag. In Fault growth a failed file (disk
    /// full, size limit, truncated) sends every later store to a throwaway page, and nothing else tells the
    /// builder until its next checkpoint; counting bytes, not objects, bounds what is lost to about this
    /// much whatever the size of the records (1 MiB payloads would waste 4 GiB between checks every 4,096
    /// records). One check is one load, so the cadence costs nothing measurable.
    /// </summary>
    internal const long FailureCheckBytes = 64L << 20;

    /// <summary>
    /// Bytes a message is handed out before the mapping gets the kernel's read-around back
    /// (<see cref="MappedFile.RestoreReadAround"/>): below it, a fault reading the pages around it mostly zeroes pages
    /// the message never uses; above it, a lane written in order gains by taking one fault per window. Measured at
    /// both ends: a one-record export and a 1,000,000-record build (docs/benchmarks.md).
    /// </summary>
    internal const long ReadAroundAfterBytes = 1L << 20;

    private long _bytesSinceFailureCheck;

    /// <summary>The first look comes early, when the message passes <see cref="ReadAroundAfterBytes"/>; then one every <see cref="FailureCheckBytes"/>.</summary>
    private long _nextCheckBytes = ReadAroundAfterBytes;

    /// <summary>Counts an allocation; every <see cref="FailureCheckBytes"/> throws the file's failure, if any.</summary>
    /// <exception cref="MappedFileFailedException">The file failed since the last look.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountAllocation(int words)
    {
        _bytesSinceFailureCheck += (long)words * 8;
        if (_bytesSinceFailureCheck >= _nextCheckBytes) CheckFailure();
    }

    private void CheckFailure()
    {
        _bytesSinceFailureCheck = 0;
        _nextCheckBytes = FailureCheckBytes;
        _file.ThrowIfFailed();
        _file.RestoreReadAround();
    }

    public int TryAllocate(int segmentId, int words)
    {
        ulong* words0 = TryAllocateAddress(segmentId, words);
        return words0 == null ? -1 : (int)(words0 - GetSegmentStart(segmentId));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong* TryAllocateAddress(int segmentId, int words)
    {
        ref var segment = ref _segments[segmentId];
        if (segmentId != _current) return segment.ChildLow != 0 ? TryAllocateChild(ref segment, words) : null;
        if (words > segment.Capacity - segment.Used) return null;
        CountAllocation(words);
        ulong* start = (ulong*)(_base + segment.End);
        segment.Used += words;
        if (_eager && segment.End > segment.CommittedEnd) CommitAhead(ref segment);
        return start;
    }

    public int Allocate(int words, out int offset)
    {
        offset = TryAllocate(_current, words);
        if (offset >= 0) return _current;

        ref var current = ref _segments[_current];
        long start = current.End;
        current.Capacity = current.Used; // the next segment begins right here
        int next = OpenSegment(start, (int)Math.Min(WireLimits.MaxSegmentWords, (_reserve - start) / 8), current.CommittedEnd);
        if (words > _segments[next].Capacity)
            throw new CapnpCapacityException(
                $"The mapping reserves {_reserve:N0} bytes and they are used up; create the message with a larger reserve.");
        _current = next;
        offset = TryAllocate(next, words);
        return next;
    }

    public int BeginStream(int words, out int offset)
    {
        if (IsStreaming) throw new InvalidOperationException("A streaming list is already open in this message; complete it first.");
        if (_sparseLanes && TryBeginSparseStream(words, out int sparse, out offset)) return sparse;
        ref var stream = ref _segments[_current];
        if (words > stream.Capacity - stream.Used)
            throw new CapnpCapacityException("The current segment cannot hold the start of a streaming list; create the message with a larger reserve.");
        // The stream keeps the tail of the current segment; other objects continue in a new segment a
        // small gap further on. The gap doubles whenever the stream reaches it (see TryExtendStream), so
        // the file never holds much more than twice what was written.
        long mainStart = NativeRange.AlignUp(stream.End + (long)words * 8 + InitialStreamGapBytes, MappedFileLayout.GapAlignment);
        if (mainStart >= _reserve)
            throw new CapnpCapacityException("There is not enough reserved address space left to open a streaming list; create the message with a larger reserve.");
        CountAllocation(words);
        _maxStreamWords = stream.Capacity;
        if (_sparseLanes) mainStart = Math.Max(mainStart, SparseLaneEnd(stream.Offset));
        stream.Capacity = StreamCapacityBefore(mainStart, stream.Offset);
        _stream = _current;
        offset = stream.Used;
        stream.Used += words;
        if (_eager && stream.End > stream.CommittedEnd) CommitAhead(ref stream);

        _streamExtensions.Add(0);
        _current = OpenSegment(mainStart, (int)Math.Min(WireLimits.MaxSegmentWords, (_reserve - mainStart) / 8), mainStart);
        return _stream;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryExtendStream(int words)
    {
        if (!IsStreaming) throw new InvalidOperationException("No streaming list is open.");
        ref var stream = ref _segments[_stream];
        _streamExtensions[^1]++; // counted even when the extension fails: the gap may have moved before it did
        // At an Append boundary (no element is being filled): a sparse stream's child room running low grows downwards.
        if (stream.ChildLow - stream.ChildFloor < _growChildRoomBelow) TryGrowChildRoom();
        if (words > stream.Capacity - stream.Used && !WidenStreamGap((long)stream.Used + words)) return false;
        CountAllocation(words);
        stream.Used += words;
        if (_eager && stream.End > stream.CommittedEnd) CommitAhead(ref stream);
        return true;
    }

    /// <summary>
    /// The most the stream's segment can reach is what <see cref="WidenStreamGap"/> allows: its segment limit,
    /// aligned down for collapse-range, less the alignment padding finish may add.
    /// </summary>
    public long StreamRoomWords
    {
        get
        {
            if (!IsStreaming) throw new InvalidOperationException("No streaming list is open.");
            long limitWords = (AlignDown((long)_maxStreamWords * 8, MappedFileLayout.GapAlignment) - MappedFileLayout.GapAlignment) / 8;
            return Math.Max(0, limitWords - _segments[_stream].Used);
        }
    }

    /// <summary>First gap left for a stream to grow into; it doubles each time the stream fills it.</summary>
    private const long InitialStreamGapBytes = 1L << 20;

    /// <summary>What the stream's segment could hold before it was opened (its limit as a segment).</summary>
    private int _maxStreamWords;

    /// <summary>Stream capacity when the next lane starts at <paramref name="nextStart"/>: room for the alignment padding finish may add.</summary>
    private static int StreamCapacityBefore(long nextStart, long streamOffset) =>
        (int)((nextStart - streamOffset) / 8) - MappedFileLayout.GapAlignment / 8;

    /// <summary>
    /// The stream has reached the segments after it: move them further up the file (memmove through the
    /// mapping), doubling the gap. Their contents stay valid because every pointer into them is a far
    /// pointer (segment id plus offset inside the segment) and segments keep their ids; the cost is
    /// amortised like a growing array's. Returns false when the stream cannot grow that far.
    /// </summary>
    private bool WidenStreamGap(long neededWords)
    {
        ref var stream = ref _segments[_stream];
        if (neededWords > _maxStreamWords - MappedFileLayout.GapAlignment / 8 || _stream + 1 >= _count) return false;
        if (_sparseLanes && TryInsertStreamRoom(neededWords)) return true;
        long oldNext = _segments[_stream + 1].Offset;
        // Double the stream's room (like a growing array), so the segments after it move O(log n) times.
        long wantEnd = stream.Offset + Math.Min(Math.Max(neededWords, 2L * stream.Used) * 8, (long)_maxStreamWords * 8);
        long newNext = NativeRange.AlignUp(Math.Max(wantEnd, stream.Offset + (neededWords * 8)) + MappedFileLayout.GapAlignment, MappedFileLayout.GapAlignment);
        long blockEnd = _segments[_count - 1].End;
        long blockBytes = blockEnd - oldNext;
        // Prefer a place clear of the old one: the copy is then a single step. When the segment limit
        // forbids it the copy overlaps its source, which the journal makes safe too (JournaledMove).
        long streamLimit = stream.Offset + (long)_maxStreamWords * 8 / MappedFileLayout.GapAlignment * MappedFileLayout.GapAlignment;
        long disjoint = NativeRange.AlignUp(oldNext + blockBytes, MappedFileLayout.GapAlignment);
        if (disjoint > newNext && disjoint <= streamLimit) newNext = disjoint;
        // A segment's declared size (stream plus gap) must stay within the segment limit.
        newNext = Math.Min(newNext, streamLimit);
        if (newNext < stream.Offset + neededWords * 8 + MappedFileLayout.GapAlignment || newNext <= oldNext) return false;
        long shift = newNext - oldNext;
        if (blockEnd + shift > _reserve) return false;

        // Allocate where the block lands before the move is announced (in both growth modes): a full disk
        // then fails the message here, with its last checkpoint intact, never halfway through the copy.
        // Eager also keeps the room it had committed ahead; the rest of the widened gap is committed by the
        // stream's own CommitAhead as it grows into it (committing it all up front would prefault unused room).
        long landing = _eager ? Math.Max(blockBytes, _segments[_count - 1].CommittedEnd - oldNext) : blockBytes;
        _file.AllocateRange(newNext, Math.Min(landing, _reserve - newNext));
        _moveBlock(PendingMove.Copy(oldNext, newNext, blockBytes));
        // The stream grows into the vacated bytes and expects zeroed memory, as every arena hands out.
        ClearBytes(oldNext, Math.Min(shift, blockBytes));
        MoveSegmentsUpAfter(_stream, shift);
        stream.Capacity = StreamCapacityBefore(newNext, stream.Offset);
        StreamGapMoves++;
        StreamGapMovedBytes += blockBytes;
        return true;
    }

    /// <summary>Times the segments after a stream were moved up, and the bytes moved (diagnostics, benchmarks).</summary>
    public int StreamGapMoves { get; private set; }
    public long StreamGapMovedBytes { get; private set; }

    private void ClearBytes(long offset, long length) => ClearBytes(_base, offset, length);

    /// <summary>Zeroes [offset, offset + length) of a mapping.</summary>
    internal static void ClearBytes(byte* fileBase, long offset, long length) =>
        NativeRange.ForEachChunk(fileBase + offset, length, static chunk => chunk.Clear());

    public long GetMoveEpoch(int segmentId)
    {
        int stream = _openedDuringStream[segmentId];
        return stream < 0 ? 0 : _streamExtensions[stream];
    }

    public void ShrinkStream(int words)
    {
        if (!IsStreaming) throw new InvalidOperationException("No streaming list is open.");
        _segments[_stream].Used -= words;
    }

    public void EndStream()
    {
        if (!IsStreaming) return;
        _segments[_stream].Capacity = _segments[_stream].Used;
        _stream = -1;
        _growChildRoomBelow = 0;
    }

    private int OpenSegment(long offset, int capacity, long committedEnd)
    {
        if (_count >= MappedFileLayout.MaxSegments)
            throw new CapnpCapacityException($"A mapped message holds at most {MappedFileLayout.MaxSegments} segments.");
        if (capacity <= 0)
            throw new CapnpCapacityException($"The mapping reserves {_reserve:N0} bytes and they are used up; create the message with a larger reserve.");
        _segments[_count] = new Segment { Offset = offset, Capacity = capacity, CommittedEnd = Math.Max(committedEnd, offset) };
        _openedDuringStream[_count] = IsStreaming ? _streamExtensions.Count - 1 : -1;
        return _count++;
    }

    /// <summary>Eager growth: allocate the file a chunk ahead of this segment's end, one range per lane.</summary>
    private void CommitAhead(ref Segment segment)
    {
        long step = _file.GrowthStepBytes; // in proportion, and within the free space
        long target = Math.Min(NativeRange.AlignUp(segment.End + step / 2, step), _reserve);
        long from = segment.CommittedEnd;
        // Near a full disk or a size limit, settle for the bytes this segment uses now: the chunk ahead
        // is a convenience, and asking for it must not fail a write that still fits.
        segment.CommittedEnd = _file.EnsureRangeCommitted(from, target - from, segment.End - from);
    }

    /// <summary>The segments after <paramref name="index"/> now start <paramref name="bytes"/> further up the file (a copy or an insert moved them).</summary>
    private void MoveSegmentsUpAfter(int index, long bytes)
    {
        for (int i = index + 1; i < _count; i++)
        {
            _segments[i].Offset += bytes;
            _segments[i].CommittedEnd += bytes;
        }
    }

    /// <summary>Moves every segment after <paramref name="index"/> down by <paramref name="bytes"/> (after a gap was closed).</summary>
    internal void ShiftSegmentsAfter(int index, long bytes)
    {
        for (int i = index + 1; i < _count; i++) _segments[i].Offset -= bytes;
    }

    /// <summary>Grows a segment's declared size (padding words at its end, already zero in the file).</summary>
    internal void PadSegmentTo(int index, long endOffset)
    {
        ref var segment = ref _segments[index];
        segment.Used = (int)((endOffset - segment.Offset) / 8);
    }

    /// <summary>Drops trailing segments that never received a word (a table must not declare empty segments).</summary>
    internal void DropEmptyTail()
    {
        while (_count > 1 && _segments[_count - 1].Used == 0) _count--;
        if (_current >= _count) _current = _count - 1;
    }

    private static long AlignDown(long value, long unit) => value / unit * unit;
}
