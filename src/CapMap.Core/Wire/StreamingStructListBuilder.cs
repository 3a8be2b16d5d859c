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
    private ulong* _tag;
    // The arena's StreamShiftWords when _tag was last aimed: the list's content moves up when its child room grows.
    private long _shiftWords;
    // The word holding the list pointer may sit in a segment an arena moves as it grows (the landing
    // pad of a double-far pointer), so it is kept as segment and offset, not as an address.
    private readonly int _countSegment;
    private readonly long _countOffset;
    private readonly int _stepWords;
    // The parent's pointer word, kept as segment and offset for the same reason: a message continued in the
    // next one (MappedMessageBuilder.ContinueInNextMessage) finds it after Complete moved segments.
    private readonly int _slotSegment;
    private readonly long _slotOffset;
    private int _capacity;
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

        _slotSegment = slotSegment;
        _slotOffset = slot - arena.GetSegmentStart(slotSegment);
        _segment = arena.BeginStream(1, out int tagOffset);
        _tag = arena.GetSegmentStart(_segment) + tagOffset;
        _shiftWords = arena.StreamShiftWords;
        // The stream's room shrinks only by this list's own appends, so the capacity is known from here on.
        long byCount = _stepWords == 0 ? WireLimits.MaxListElements : Math.Min(WireLimits.MaxListElements, WireLimits.MaxListElements / _stepWords);
        _capacity = (int)(_stepWords == 0 ? byCount : Math.Min(byCount, arena.StreamRoomWords / _stepWords));
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

    /// <summary>
    /// Elements the list can hold: what its segment can take (a segment holds at most 2^29−1 words, a list at
    /// most 2^29−1 words or elements), or less when the message was given a smaller limit. Once
    /// <see cref="IsFull"/>, a mapped message goes on in the next message of its file
    /// (<see cref="CapMap.Messages.MappedMessageBuilder.ContinueInNextMessage"/>).
    /// </summary>
    public int Capacity => _capacity;

    /// <summary>True when <see cref="Append()"/> would throw because the list holds <see cref="Capacity"/> elements.</summary>
    public bool IsFull => Count >= _capacity;

    /// <summary>Lowers <see cref="Capacity"/> to what <paramref name="maxBytes"/> of elements hold (at least one element).</summary>
    internal void LimitBytes(long maxBytes)
    {
        if (_stepWords == 0) return;
        _capacity = (int)Math.Min(_capacity, Math.Max(1, maxBytes / 8 / _stepWords));
    }

    /// <summary>The parent's pointer word that points at this list (the root pointer slot or a struct's pointer).</summary>
    internal ulong* SlotAddress => _arena.GetSegmentStart(_slotSegment) + _slotOffset;

    /// <summary>Segment that holds the elements.</summary>
    public int SegmentId => _segment;

    /// <summary>Address of the word that declares the count (the list pointer or its landing-pad tag).</summary>
    internal ulong* CountPointerAddress => _arena.GetSegmentStart(_countSegment) + _countOffset;
    internal ulong* TagAddress => _tag;

    /// <summary>
    /// Appends a zeroed element and returns it for filling. Builders of earlier elements and of their children
    /// are valid only until the next Append: a streaming arena may move the segments opened since the list
    /// began to make room for it (their <see cref="ISegmentArena.GetMoveEpoch"/> changes; see
    /// <see cref="StructBuilder.MoveEpoch"/>), and the list's own content when the room for its elements'
    /// children grows (<see cref="IStreamingArena.StreamShiftWords"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public StructBuilder Append()
    {
        if (_completed) throw new InvalidOperationException("The list is complete; no more elements can be appended.");
        if (Count >= _capacity)
            throw new CapnpCapacityException($"This List(Struct) of {_stepWords}-word elements is full at {_capacity} elements; a mapped message continues in its next message (MappedMessageBuilder.ContinueInNextMessage).");
        if (_stepWords > 0 && !_arena.TryExtendStream(_stepWords))
            throw new CapnpCapacityException("The segment that holds the streaming list cannot grow any further.");
        if (_arena.StreamShiftWords != _shiftWords) FollowShiftedContent();
        ulong* element = _tag + 1 + (long)Count * _stepWords;
        Count++;
        return new StructBuilder(_message, _segment, element, DataWordCount, PointerCount);
    }

    /// <summary>
    /// The arena grew the room below the list (at its segment's start) while extending it: the tag, the elements and
    /// their children moved up inside the segment, so the tag's address follows, and the segment holds fewer elements
    /// than it could (the list's capacity shrinks to what is left; a full list goes on in the next message).
    /// </summary>
    private void FollowShiftedContent()
    {
        long shift = _arena.StreamShiftWords - _shiftWords;
        _shiftWords += shift;
        _tag += shift;
        // The element just extended is in the segment's words already.
        if (_stepWords > 0) _capacity = (int)Math.Min(_capacity, Count + 1 + _arena.StreamRoomWords / _stepWords);
    }

    /// <summary>
    /// Appends an element and lets <paramref name="fill"/> write it; if <paramref name="fill"/> throws, the element
    /// is taken back (<see cref="RemoveLast"/>), so the list is as before, and the exception propagates.
    /// </summary>
    public StructBuilder Append(Action<StructBuilder> fill) =>
        Append(fill ?? throw new ArgumentNullException(nameof(fill)), static (element, f) => f(element));

    /// <summary>
    /// <see cref="Append(Action{StructBuilder})"/> with the filler's state passed in, so a hot loop with a static
    /// filler allocates no closure per element.
    /// </summary>
    public StructBuilder Append<TState>(TState state, Action<StructBuilder, TState> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var element = Append();
        try
        {
            fill(element, state);
        }
        catch
        {
            RemoveLast();
            throw;
        }
        return element;
    }

    /// <summary>
    /// Takes back the element appended last (one that could not be filled, say): its words are zeroed and
    /// returned to the stream, so the next <see cref="Append()"/> reuses them. Objects it already pointed to
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
