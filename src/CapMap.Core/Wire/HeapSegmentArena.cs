using System.Runtime.InteropServices;

namespace CapMap.Wire;

/// <summary>
/// Segments in native heap memory, sized like C++'s MallocMessageBuilder: the first segment is
/// <c>firstSegmentWords</c> long and each new one is as large as everything allocated so far (capped at
/// <c>maxSegmentWords</c>). A small fixed size is how tests force multi-segment messages and far pointers.
/// A streaming list gets a segment of its own of <c>streamSegmentWords</c>, allocated up front (heap memory
/// cannot grow in place without moving); the mapped arena has no such cap.
/// </summary>
public sealed unsafe class HeapSegmentArena : IStreamingArena, IDisposable
{
    private readonly int _maxSegmentWords;
    private readonly bool _fixedSize;
    private readonly List<Segment> _segments = new();
    private long _totalCapacityWords;
    private readonly int _firstSegmentWords;
    private readonly int _streamSegmentWords;
    private int _streamSegment = -1;

    // A class, not a struct: a List of a struct of CapMap's is an instantiation ReadyToRun cannot precompile (the
    // list's code is the runtime's), which every process JIT-compiled (about twenty methods) to build the embedded schema.
    private sealed class Segment
    {
        public ulong* Start;
        public int Capacity;
        public int Used;
    }

    /// <param name="firstSegmentWords">Capacity of segment 0 in words.</param>
    /// <param name="maxSegmentWords">Largest segment the arena will create.</param>
    /// <param name="fixedSegmentSize">When true every segment has <paramref name="firstSegmentWords"/> words
    /// (objects larger than that still get a segment of their own size).</param>
    /// <param name="streamSegmentWords">Capacity of the segment a streaming list grows in.</param>
    public HeapSegmentArena(int firstSegmentWords = 1024, int maxSegmentWords = WireLimits.MaxSegmentWords, bool fixedSegmentSize = false, int streamSegmentWords = 1 << 20)
    {
        if (firstSegmentWords < 1) throw new ArgumentOutOfRangeException(nameof(firstSegmentWords));
        if (maxSegmentWords < 1 || maxSegmentWords > WireLimits.MaxSegmentWords) throw new ArgumentOutOfRangeException(nameof(maxSegmentWords));
        _firstSegmentWords = Math.Min(firstSegmentWords, maxSegmentWords);
        _maxSegmentWords = maxSegmentWords;
        _fixedSize = fixedSegmentSize;
        _streamSegmentWords = Math.Clamp(streamSegmentWords, 1, maxSegmentWords);
    }

    /// <inheritdoc />
    public int MaxSegmentWords => _maxSegmentWords;

    /// <inheritdoc />
    public int SegmentCount => _segments.Count;

    /// <inheritdoc />
    public ulong* GetSegmentStart(int segmentId) => _segments[segmentId].Start;

    /// <inheritdoc />
    public int GetSegmentWordCount(int segmentId) => _segments[segmentId].Used;

    /// <inheritdoc />
    public int TryAllocate(int segmentId, int words)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var span = CollectionsMarshal.AsSpan(_segments);
        if (segmentId == _streamSegment) return -1;
        ref var segment = ref span[segmentId];
        if (words > segment.Capacity - segment.Used) return -1;
        int offset = segment.Used;
        segment.Used += words;
        return offset;
    }

    /// <inheritdoc />
    public int Allocate(int words, out int offset)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (words > _maxSegmentWords)
            throw new CapnpCapacityException($"An object of {words} words does not fit in a segment of at most {_maxSegmentWords} words.");
        // The newest segment takes new objects, unless it is the stream's: then the one before it does.
        int current = _segments.Count - 1;
        if (current == _streamSegment) current--;
        if (current >= 0)
        {
            offset = TryAllocate(current, words);
            if (offset >= 0) return current;
        }
        offset = 0;
        return AddSegment(NextSegmentCapacity(words), words);
    }

    private int AddSegment(int capacity, int usedWords)
    {
        if (_segments.Count >= WireLimits.MaxSegments)
            throw new CapnpCapacityException($"The message would need more than {WireLimits.MaxSegments} segments.");
        var start = (ulong*)NativeMemory.AllocZeroed((nuint)capacity, sizeof(ulong));
        _segments.Add(new Segment { Start = start, Capacity = capacity, Used = usedWords });
        _totalCapacityWords += capacity;
        return _segments.Count - 1;
    }

    /// <inheritdoc />
    public bool IsStreaming => _streamSegment >= 0;

    /// <inheritdoc />
    public int BeginStream(int words, out int offset)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsStreaming) throw new InvalidOperationException("A streaming list is already open in this message.");
        if (words > _streamSegmentWords) throw new CapnpCapacityException($"The stream segment holds {_streamSegmentWords} words.");
        _streamSegment = AddSegment(_streamSegmentWords, words);
        offset = 0;
        return _streamSegment;
    }

    /// <inheritdoc />
    public bool TryExtendStream(int words)
    {
        if (!IsStreaming) throw new InvalidOperationException("No streaming list is open.");
        ref var segment = ref CollectionsMarshal.AsSpan(_segments)[_streamSegment];
        if (words > segment.Capacity - segment.Used) return false;
        segment.Used += words;
        return true;
    }

    /// <inheritdoc />
    public long StreamRoomWords
    {
        get
        {
            if (!IsStreaming) throw new InvalidOperationException("No streaming list is open.");
            var segment = _segments[_streamSegment];
            return segment.Capacity - segment.Used;
        }
    }

    /// <inheritdoc />
    public void ShrinkStream(int words)
    {
        if (!IsStreaming) throw new InvalidOperationException("No streaming list is open.");
        CollectionsMarshal.AsSpan(_segments)[_streamSegment].Used -= words;
    }

    /// <inheritdoc />
    public void EndStream()
    {
        if (!IsStreaming) return;
        // Closing the stream also closes its segment to other objects, so the list stays the segment's tail.
        ref var segment = ref CollectionsMarshal.AsSpan(_segments)[_streamSegment];
        segment.Capacity = segment.Used;
        _streamSegment = -1;
    }

    private int NextSegmentCapacity(int minimumWords)
    {
        long wanted = _segments.Count == 0 || _fixedSize ? _firstSegmentWords : _totalCapacityWords;
        return (int)Math.Clamp(Math.Max(wanted, minimumWords), 1, _maxSegmentWords);
    }

    private bool _disposed;

    /// <summary>Frees the native memory of every segment; builders and readers over it must not be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var segment in _segments) NativeMemory.Free(segment.Start);
        _segments.Clear();
    }
}
