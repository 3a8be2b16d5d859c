using System.Runtime.CompilerServices;
namespace CapMap.Wire;

/// <summary>
/// A List(Struct) whose final length is unknown: elements are appended one at a time, back to back in
/// one segment of an <see cref="IStreamingArena"/>, and nothing is held or copied in managed memory.
/// The list pointer and the tag carry the committed count; they change only in <see cref="Commit"/>,
/// so a reader (or a checkpoint) never sees an element that is still being filled.
/// </summary>
public sealed unsafe class StreamingStructListBuilder
{
    private readonly MessageBuilder _message;
    private readonly IStreamingArena _arena;
    private readonly int _segment;
    private readonly ulong* _tag;
    // The word holding the list pointer may sit in a segment an arena moves as it grows (the landing
    // pad of a double-far pointer), so it is kept as segment and offset, not as an address.
    private readonly int _countSegment;
    private readonly long _countOffset;
    private readonly int _stepWords;
    private bool _completed;

    internal StreamingStructListBuilder(MessageBuilder message, int slotSegment, ulong* slot, int dataWords, int pointerCount)
    {
        if (message.Arena is not IStreamingArena arena)
            throw new NotSupportedException($"The arena {message.Arena.GetType().Name} cannot grow a list in place; build the list with InitStructList instead.");
        if ((uint)dataWords > ushort.MaxValue || (uint)pointerCount > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(dataWords), "Struct sections hold at most 65535 words each.");

        _message = message;
        _arena = arena;
        DataWordCount = dataWords;
        PointerCount = pointerCount;
        _stepWords = dataWords + pointerCount;

        _segment = arena.BeginStream(1, out int tagOffset);
        _tag = arena.GetSegmentStart(_segment) + tagOffset;
        ulong listPointer = WirePointer.List(0, ElementSize.InlineComposite, 0);
        ulong* countPointer;
        if (_segment == slotSegment)
        {
            *slot = WirePointer.WithOffset(listPointer, (int)(_tag - slot - 1));
            countPointer = slot;
            _countSegment = slotSegment;
        }
        else
        {
            countPointer = message.WriteDoubleFar(slot, _segment, tagOffset, listPointer, out _countSegment);
        }
        _countOffset = countPointer - arena.GetSegmentStart(_countSegment);
        Commit();
    }

    /// <summary>Data words of each element.</summary>
    public int DataWordCount { get; }

    /// <summary>Pointers of each element.</summary>
    public int PointerCount { get; }

    /// <summary>Elements appended so far (committed or not).</summary>
    public int Count { get; private set; }

    /// <summary>Elements the list pointer currently declares.</summary>
    public int CommittedCount { get; private set; }

    /// <summary>Segment that holds the elements.</summary>
    public int SegmentId => _segment;

    /// <summary>Address of the word that declares the count (the list pointer or its landing-pad tag).</summary>
    internal ulong* CountPointerAddress => _arena.GetSegmentStart(_countSegment) + _countOffset;
    internal ulong* TagAddress => _tag;

    /// <summary>
    /// Appends a zeroed element and returns it for filling. Builders of objects outside the list's own
    /// segment (the children of earlier elements) are valid only until the next Append: a streaming arena
    /// may move the segments opened since the list began to make room for it (their
    /// <see cref="ISegmentArena.GetMoveEpoch"/> changes; see <see cref="StructBuilder.MoveEpoch"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public StructBuilder Append()
    {
        if (_completed) throw new InvalidOperationException("The list is complete; no more elements can be appended.");
        if ((long)(Count + 1) * _stepWords > WireLimits.MaxListElements || Count == WireLimits.MaxListElements)
            throw new CapnpCapacityException($"A List(Struct) of {_stepWords}-word elements holds at most {WireLimits.MaxListElements / Math.Max(1, _stepWords)} elements.");
        ulong* element = _tag + 1 + (long)Count * _stepWords;
        if (_stepWords > 0 && !_arena.TryExtendStream(_stepWords))
            throw new CapnpCapacityException("The segment that holds the streaming list cannot grow any further.");
        Count++;
        return new StructBuilder(_message, _segment, element, DataWordCount, PointerCount);
    }

    /// <summary>
    /// Takes back the element appended last (one that could not be filled, say): its words are zeroed and
    /// returned to the stream, so the next <see cref="Append"/> reuses them. Objects it already pointed to
    /// stay behind as unreachable bytes. Only uncommitted elements can be removed.
    /// </summary>
    public void RemoveLast()
    {
        if (_completed) throw new InvalidOperationException("The list is complete.");
        if (Count == CommittedCount) throw new InvalidOperationException("The last element is already committed (checkpointed) and cannot be removed.");
        Count--;
        ulong* element = _tag + 1 + (long)Count * _stepWords;
        new Span<ulong>(element, _stepWords).Clear();
        if (_stepWords > 0) _arena.ShrinkStream(_stepWords);
    }

    /// <summary>Makes the list pointer and tag declare every element appended so far.</summary>
    public void Commit()
    {
        ulong* countPointer = CountPointerAddress;
        *countPointer = WirePointer.List(WirePointer.Offset(*countPointer), ElementSize.InlineComposite, Count * _stepWords);
        *_tag = WirePointer.Struct(Count, DataWordCount, PointerCount);
        CommittedCount = Count;
    }

    /// <summary>Commits and closes the list; the arena's streaming region is released.</summary>
    public void Complete()
    {
        if (_completed) return;
        Commit();
        _arena.EndStream();
        _completed = true;
    }

    /// <summary>True after <see cref="Complete"/>: no more elements can be appended.</summary>
    public bool IsCompleted => _completed;
}
