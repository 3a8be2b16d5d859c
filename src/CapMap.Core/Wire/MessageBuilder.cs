using System.Runtime.CompilerServices;
namespace CapMap.Wire;

/// <summary>
/// Builds one message in the segments of an <see cref="ISegmentArena"/>. Word 0 of segment 0 is the
/// root pointer; everything else is reached from it. The builder holds no copy of the data: every
/// write goes straight into arena memory, which is what lets a mapped arena build messages larger
/// than RAM.
/// </summary>
public sealed unsafe class MessageBuilder
{
    private readonly ulong* _rootSlot;

    /// <summary>Builds a message whose segments <paramref name="arena"/> provides.</summary>
    public MessageBuilder(ISegmentArena arena)
    {
        Arena = arena ?? throw new ArgumentNullException(nameof(arena));
        // A fresh arena has no segment yet, or (like the mapped arena, whose segment 0 sits at a fixed place
        // in the file) one segment with nothing allocated in it.
        if (arena.SegmentCount > 1 || (arena.SegmentCount == 1 && arena.GetSegmentWordCount(0) != 0))
            throw new ArgumentException("The arena already holds data; a message needs a fresh arena.", nameof(arena));
        int segment = arena.Allocate(1, out int offset);
        if (segment != 0 || offset != 0)
            throw new ArgumentException("The arena must place the first word of a message at segment 0, word 0 (the root pointer).", nameof(arena));
        _rootSlot = arena.GetSegmentStart(0);
    }

    /// <summary>Where the segments live.</summary>
    public ISegmentArena Arena { get; }

    /// <summary>The root pointer's slot, for callers (such as a mapped finish) that relocate it.</summary>
    internal ulong* RootSlot => _rootSlot;

    internal PointerSlot RootPointer => new(this, 0, _rootSlot);

    /// <summary>Allocates the root struct. Calling it again abandons the previous root.</summary>
    public StructBuilder InitRoot(int dataWords, int pointerCount) => RootPointer.InitStruct(dataWords, pointerCount);

    /// <summary>Sizes of the segments as the segment table will declare them.</summary>
    public int[] GetSegmentWordCounts()
    {
        var sizes = new int[Arena.SegmentCount];
        for (int i = 0; i < sizes.Length; i++) sizes[i] = Arena.GetSegmentWordCount(i);
        return sizes;
    }

    /// <summary>Writes the message with stream framing (segment table, then the segments).</summary>
    public void WriteTo(Stream destination) => Framing.WriteMessage(destination, Arena);

    /// <summary>The message with its segment table (stream framing), copied into a new array.</summary>
    public byte[] ToFramedBytes()
    {
        using var buffer = new MemoryStream();
        WriteTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// Allocates an object of <paramref name="words"/> words for the pointer at <paramref name="slot"/> and
    /// writes that pointer. <paramref name="pointerTemplate"/> is the struct or list pointer with a zero
    /// offset. Placement follows arena.c++: the slot's own segment if it has room (a near pointer), else
    /// another segment with a one-word landing pad in front of the object (a far pointer), else, when the
    /// object fills a segment by itself, a two-word landing pad elsewhere (a double-far pointer).
    /// </summary>
    // The per-record path (this, PointerSlot, StructBuilder, ListBuilder, the streaming list and the mapped
    // arena) is compiled fully optimized at its first call: at a million records the tier-0 and instrumented
    // phases of tiered compilation cost as much as the records themselves (docs/benchmarks.md, the profile).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal ulong* AllocateObject(int slotSegment, ulong* slot, int words, ulong pointerTemplate, out int targetSegment)
    {
        ulong* target = Arena.TryAllocateAddress(slotSegment, words);
        if (target != null)
        {
            // A zero-sized struct would encode as the null word; C++ points it at itself (-1) instead.
            int relative = words == 0 ? -1 : (int)(target - slot - 1);
            *slot = WirePointer.WithOffset(pointerTemplate, relative);
            targetSegment = slotSegment;
            return target;
        }

        if (words < Arena.MaxSegmentWords)
        {
            int segment = Arena.Allocate(words + 1, out int padOffset);
            ulong* pad = Arena.GetSegmentStart(segment) + padOffset;
            *pad = WirePointer.WithOffset(pointerTemplate, 0);
            *slot = WirePointer.Far(segment, padOffset, doubleFar: false);
            targetSegment = segment;
            return pad + 1;
        }

        int objectSegment = Arena.Allocate(words, out int objectOffset);
        WriteDoubleFar(slot, objectSegment, objectOffset, pointerTemplate);
        targetSegment = objectSegment;
        return Arena.GetSegmentStart(objectSegment) + objectOffset;
    }

    /// <summary>
    /// Points <paramref name="slot"/> at an object that already sits in another segment, through a
    /// two-word landing pad: a far pointer to the object, then the tag (the pointer with offset 0).
    /// Returns the address of the tag, which callers may rewrite (a growing list updates its count there).
    /// </summary>
    internal ulong* WriteDoubleFar(ulong* slot, int objectSegment, int objectOffset, ulong pointerTemplate) =>
        WriteDoubleFar(slot, objectSegment, objectOffset, pointerTemplate, out _);

    internal ulong* WriteDoubleFar(ulong* slot, int objectSegment, int objectOffset, ulong pointerTemplate, out int padSegment)
    {
        padSegment = Arena.Allocate(2, out int padOffset);
        ulong* pad = Arena.GetSegmentStart(padSegment) + padOffset;
        pad[0] = WirePointer.Far(objectSegment, objectOffset, doubleFar: false);
        pad[1] = WirePointer.WithOffset(pointerTemplate, 0);
        *slot = WirePointer.Far(padSegment, padOffset, doubleFar: true);
        return pad + 1;
    }
}
