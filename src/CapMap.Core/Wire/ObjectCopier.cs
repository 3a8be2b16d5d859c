namespace CapMap.Wire;

/// <summary>
/// Deep-copies a message's root (its struct and every object it reaches) into another message, leaving out
/// chosen pointers: what a message continued in the next one of its file needs (the root again, without the
/// streaming lists, which start over there). The source is a message this process built, so its pointers are
/// trusted; the copy still refuses what it cannot reproduce (capabilities) and stops at a nesting limit.
/// </summary>
internal static unsafe class ObjectCopier
{
    /// <summary>The result of <see cref="CopyRoot"/>.</summary>
    internal sealed class Copy
    {
        /// <summary>The copied root struct in the destination.</summary>
        public StructBuilder Root { get; set; }

        /// <summary>Each left-out source pointer word, by address: where its counterpart (left null) sits in the destination.</summary>
        public Dictionary<nint, (int Segment, nint Slot)> SkippedSlots { get; } = new();

        /// <summary>Every struct copied, by the segment and word offset of its source data section: its copy.</summary>
        public Dictionary<(int Segment, long WordOffset), StructBuilder> Structs { get; } = new();
    }

    /// <summary>A root is a few levels of structs; anything this deep is not a root a writer built.</summary>
    private const int NestingLimit = WireLimits.DefaultNestingLimit;

    /// <summary>Copies <paramref name="source"/>'s root into <paramref name="destination"/>'s (which must have none yet).</summary>
    public static Copy CopyRoot(MessageBuilder source, MessageBuilder destination, IEnumerable<nint> skip)
    {
        var copy = new Copy();
        var context = new Context(source.Arena, destination, new HashSet<nint>(skip), copy);
        context.CopyPointer(0, source.RootSlot, 0, destination.RootSlot, 0);
        if (*source.RootSlot != 0)
        {
            var (segment, target, _) = context.Resolve(0, source.RootSlot);
            copy.Root = copy.Structs[(segment, (ulong*)target - source.Arena.GetSegmentStart(segment))];
        }
        return copy;
    }

    private sealed class Context(ISegmentArena sourceArena, MessageBuilder destination, HashSet<nint> skip, Copy copy)
    {
        /// <summary>The pointer at <paramref name="pointer"/>: the segment and address of its object, and its tag (the pointer itself, or a landing pad's).</summary>
        public (int Segment, nint Target, ulong Tag) Resolve(int segment, ulong* pointer)
        {
            ulong word = *pointer;
            if (WirePointer.Kind(word) != WirePointer.KindFar)
                return (segment, (nint)(pointer + 1 + WirePointer.Offset(word)), word);
            int padSegment = (int)WirePointer.FarSegmentId(word);
            ulong* pad = sourceArena.GetSegmentStart(padSegment) + WirePointer.FarLandingPadOffset(word);
            if (!WirePointer.FarIsDouble(word))
                return (padSegment, (nint)(pad + 1 + WirePointer.Offset(*pad)), *pad);
            int objectSegment = (int)WirePointer.FarSegmentId(pad[0]);
            return (objectSegment, (nint)(sourceArena.GetSegmentStart(objectSegment) + WirePointer.FarLandingPadOffset(pad[0])), pad[1]);
        }

        public void CopyPointer(int fromSegment, ulong* from, int toSegment, ulong* to, int depth)
        {
            if (skip.Contains((nint)from))
            {
                copy.SkippedSlots[(nint)from] = (toSegment, (nint)to);
                return;
            }
            if (*from == 0) return;
            if (depth >= NestingLimit) throw new CapnpFormatException($"The root nests objects deeper than {NestingLimit} levels; it cannot be copied into the next message.");
            var (segment, address, tag) = Resolve(fromSegment, from);
            ulong* target = (ulong*)address;
            switch (WirePointer.Kind(tag))
            {
                case WirePointer.KindStruct:
                    CopyStruct(segment, target, WirePointer.StructDataWords(tag), WirePointer.StructPointerCount(tag), toSegment, to, depth);
                    break;
                case WirePointer.KindList:
                    CopyList(segment, target, tag, toSegment, to, depth);
                    break;
                default:
                    throw new CapnpFormatException("The root holds a capability (or another pointer kind a message file cannot carry); it cannot be copied into the next message.");
            }
        }

        private void CopyStruct(int segment, ulong* source, int dataWords, int pointerCount, int toSegment, ulong* to, int depth)
        {
            ulong* target = destination.AllocateObject(toSegment, to, dataWords + pointerCount, WirePointer.Struct(0, dataWords, pointerCount), out int targetSegment);
            copy.Structs[(segment, source - sourceArena.GetSegmentStart(segment))] = new StructBuilder(destination, targetSegment, target, dataWords, pointerCount);
            CopySections(segment, source, dataWords, pointerCount, targetSegment, target, depth);
        }

        private void CopySections(int segment, ulong* source, int dataWords, int pointerCount, int targetSegment, ulong* target, int depth)
        {
            new ReadOnlySpan<ulong>(source, dataWords).CopyTo(new Span<ulong>(target, dataWords));
            for (int i = 0; i < pointerCount; i++)
                CopyPointer(segment, source + dataWords + i, targetSegment, target + dataWords + i, depth + 1);
        }

        private void CopyList(int segment, ulong* source, ulong tag, int toSegment, ulong* to, int depth)
        {
            var size = WirePointer.ListElementSize(tag);
            int count = WirePointer.ListCount(tag);
            if (size == ElementSize.InlineComposite)
            {
                ulong elementTag = *source;
                int elements = WirePointer.Offset(elementTag);
                int dataWords = WirePointer.StructDataWords(elementTag), pointerCount = WirePointer.StructPointerCount(elementTag);
                ulong* targetTag = destination.AllocateObject(toSegment, to, count + 1, WirePointer.List(0, ElementSize.InlineComposite, count), out int targetSegment);
                *targetTag = elementTag;
                int step = dataWords + pointerCount;
                for (int i = 0; i < elements; i++)
                    CopySections(segment, source + 1 + (long)i * step, dataWords, pointerCount, targetSegment, targetTag + 1 + (long)i * step, depth);
                return;
            }
            int words = checked((int)(((long)count * ElementSizes.BitsPerElement(size) + 63) / 64));
            ulong* target = destination.AllocateObject(toSegment, to, words, WirePointer.List(0, size, count), out int listSegment);
            if (size != ElementSize.Pointer)
            {
                new ReadOnlySpan<ulong>(source, words).CopyTo(new Span<ulong>(target, words));
                return;
            }
            for (int i = 0; i < count; i++)
                CopyPointer(segment, source + i, listSegment, target + i, depth + 1);
        }
    }
}
