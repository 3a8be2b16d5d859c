namespace CapMap.Wire;

public sealed unsafe partial class MessageReader
{
    /// <summary>
    /// Follows every pointer of the message from the root, by the kind each pointer declares (no schema
    /// needed), and checks every object against its segment, the traversal limit and the nesting limit.
    /// Blob contents are not read. This is what any reader will meet, whatever schema it uses: repair runs
    /// it before it declares a restored file good.
    /// </summary>
    /// <remarks>
    /// Iterative, one frame per object being visited (not per pointer), so a chain of structs cannot
    /// overflow the thread's stack and a list of millions of elements costs one frame.
    /// </remarks>
    /// <exception cref="CapnpFormatException">A pointer is malformed or reaches outside its segment, or a limit is exceeded.</exception>
    public void ValidateStructure() => ValidateStructure(null);

    /// <summary>
    /// <see cref="ValidateStructure()"/>, noting in <paramref name="reach"/> (when given) every word the walk visits
    /// and every word that names a segment by offset: repair tells a segment's data from its padding with it.
    /// </summary>
    internal void ValidateStructure(SegmentReach? reach)
    {
        ThrowIfDisposed();
        if (_segmentWords[0] == 0) return;
        _reach = reach;
        try
        {
            WalkFromRoot();
        }
        finally
        {
            _reach = null;
        }
    }

    /// <summary>Set only while <see cref="ValidateStructure(SegmentReach)"/> runs with a recorder.</summary>
    private SegmentReach? _reach;

    private void WalkFromRoot()
    {
        _reach?.Add(0, 0, 1);
        var frames = new Stack<PointerRun>();
        frames.Push(new PointerRun(0, (nint)_segmentStarts[0], 1, 1, 1, _nestingLimit));
        while (frames.Count > 0)
        {
            var run = frames.Pop();
            if (run.Next >= run.Elements * run.PointersPerElement) continue;
            long element = run.Next / run.PointersPerElement, index = run.Next % run.PointersPerElement;
            ulong* slot = (ulong*)run.First + element * run.StrideWords + index;
            frames.Push(run with { Next = run.Next + 1 });
            if (*slot == 0) continue;
            if (run.Nesting <= 0) throw new CapnpFormatException("The message nests deeper than the nesting limit.");
            if (Visit(run.Segment, slot, run.Nesting - 1) is { } inner) frames.Push(inner);
        }
    }

    /// <summary>Pointer slots still to visit: <c>PointersPerElement</c> slots in each of <c>Elements</c>, <c>StrideWords</c> apart.</summary>
    private readonly record struct PointerRun(int Segment, nint First, long Elements, long StrideWords, int PointersPerElement, int Nesting, long Next = 0);

    /// <summary>Checks the object <paramref name="slot"/> points at; returns the pointers inside it, if any.</summary>
    private PointerRun? Visit(int segment, ulong* slot, int nesting)
    {
        ulong* target = Resolve(segment, slot, out int targetSegment, out ulong pointer);
        if (_reach is not null && WirePointer.Kind(*slot) == WirePointer.KindFar) NoteLandingPad(slot);
        switch (WirePointer.Kind(pointer))
        {
            case WirePointer.KindStruct:
            {
                int dataWords = WirePointer.StructDataWords(pointer), pointerCount = WirePointer.StructPointerCount(pointer);
                CheckBounds(targetSegment, target, dataWords + pointerCount);
                _reach?.Add(targetSegment, target - _segmentStarts[targetSegment], dataWords + pointerCount);
                Charge(Math.Max(1, dataWords + pointerCount));
                return pointerCount == 0 ? null : new PointerRun(targetSegment, (nint)(target + dataWords), 1, 0, pointerCount, nesting);
            }
            case WirePointer.KindList:
                return VisitList(targetSegment, target, pointer, nesting);
            default:
                throw new CapnpFormatException("Capability pointers are not supported by this reader.");
        }
    }

    private PointerRun? VisitList(int segment, ulong* target, ulong pointer, int nesting)
    {
        var size = WirePointer.ListElementSize(pointer);
        int count = WirePointer.ListCount(pointer);
        if (size == ElementSize.InlineComposite)
        {
            CheckBounds(segment, target, (long)count + 1);
            _reach?.Add(segment, target - _segmentStarts[segment], (long)count + 1);
            ulong tag = *target;
            if (WirePointer.Kind(tag) != WirePointer.KindStruct)
                throw new CapnpFormatException("The tag of a struct list is not a struct pointer.");
            int elements = WirePointer.Offset(tag);
            if (elements < 0) throw new CapnpFormatException("The tag of a struct list declares a negative element count.");
            int dataWords = WirePointer.StructDataWords(tag), pointerCount = WirePointer.StructPointerCount(tag);
            long step = dataWords + pointerCount;
            if (elements * step > count)
                throw new CapnpFormatException($"A struct list declares {elements} elements of {step} words in only {count} words.");
            Charge(Math.Max((long)count + 1, elements));
            return pointerCount == 0 || elements == 0 ? null : new PointerRun(segment, (nint)(target + 1 + dataWords), elements, step, pointerCount, nesting);
        }
        int bits = ElementSizes.BitsPerElement(size);
        long words = ((long)count * bits + 63) / 64;
        CheckBounds(segment, target, words);
        _reach?.Add(segment, target - _segmentStarts[segment], words);
        Charge(Math.Max(words, bits == 0 ? count : 1));
        return size == ElementSize.Pointer && count > 0 ? new PointerRun(segment, (nint)target, count, 1, 1, nesting) : null;
    }

    /// <summary>
    /// A far pointer at <paramref name="slot"/>, already resolved (so its landing pad is in bounds): its pad is
    /// visited, and the words that count an offset from a segment's start are the far pointer itself and, in a
    /// double-far pad, the pad's first word.
    /// </summary>
    private void NoteLandingPad(ulong* slot)
    {
        ulong far = *slot;
        int padSegment = (int)WirePointer.FarSegmentId(far);
        ulong* pad = _segmentStarts[padSegment] + WirePointer.FarLandingPadOffset(far);
        bool isDouble = WirePointer.FarIsDouble(far);
        _reach!.AddFar(padSegment, slot);
        _reach.Add(padSegment, pad - _segmentStarts[padSegment], isDouble ? 2 : 1);
        if (isDouble) _reach.AddFar((int)WirePointer.FarSegmentId(*pad), pad);
    }
}
