using System.Runtime.InteropServices;

namespace CapMap.Wire;

/// <summary>
/// Copies structs out of a message that is being read into a small message of their own, held in memory: each
/// struct with everything it reaches, far pointers resolved into near ones, so that what is copied can be read
/// after the source (a mapped file) is gone. The result is one segment in an ordinary array: each copied struct
/// sits behind a pointer word of its own, found again by the index <see cref="Add"/> returned.
/// </summary>
/// <remarks>
/// Every pointer of the source is followed through <see cref="MessageReader"/>'s own checks (bounds, kinds, the
/// traversal limit and the nesting limit), exactly as reading it would, so a hostile file can make the copy fail
/// but never reach outside its segments; the copy then holds only what those checks accepted, laid out as a tree.
/// Capability pointers are copied as null (no reader here decodes them). Not thread-safe.
/// </remarks>
public sealed unsafe class DetachedCopy
{
    // Word 0 of the buffer is the stream frame (one segment and its size); the segment starts at word 1.
    private const int FrameWords = 1;

    private ulong[] _buffer;
    private long _used; // words of the segment used
    private readonly List<int> _slots = []; // each copied struct's pointer word, by index

    /// <summary>A copy in a buffer of about <paramref name="expectedWords"/> words to start with.</summary>
    public DetachedCopy(long expectedWords = 0)
    {
        // A plain array: small copies live and die in the young generation. Readers pin it while they read.
        _buffer = new ulong[(int)Math.Clamp(expectedWords, 64, Array.MaxLength)];
    }

    /// <summary>Structs copied so far.</summary>
    public int Count => _slots.Count;

    /// <summary>Words the copy holds so far.</summary>
    public long Words => _used;

    /// <summary>
    /// Copies <paramref name="source"/> and everything it reaches; a null struct is kept as a null pointer. Where
    /// <paramref name="rule"/> (the struct's) says what a pointer must reach, it is read and checked as that.
    /// </summary>
    /// <exception cref="CapnpFormatException">The source breaks the format, its reader's limits or the rule somewhere below the struct.</exception>
    /// <returns>The struct's index in the copy.</returns>
    public int Add(StructReader source, CopyRule? rule = null)
    {
        long slot = Allocate(1);
        if (!source.IsNull) CopyStruct(source, slot, rule);
        _slots.Add(checked((int)slot));
        return _slots.Count - 1;
    }

    /// <summary>The copy as a message of its own, readable for as long as it is referenced. The copy must not be added to afterwards.</summary>
    public DetachedMessage Seal()
    {
        _buffer[0] = (ulong)_used << 32; // segment count − 1 = 0, then the segment's size in words
        return new DetachedMessage(_buffer, FrameWords + _used, _slots.ToArray());
    }

    private void CopyStruct(StructReader source, long slot, CopyRule? rule)
    {
        int dataWords = (source.DataByteCount + 7) / 8;
        int pointers = source.PointerCount;
        long at = Allocate(dataWords + pointers);
        SetPointer(slot, WirePointer.Struct(checked((int)(at - slot - 1)), dataWords, pointers));
        new ReadOnlySpan<byte>(source.Data, source.DataByteCount).CopyTo(Bytes(at, source.DataByteCount));
        for (int i = 0; i < pointers; i++)
            CopyPointer(source.Message!, source.Segment, source.Pointers + i, source.Nesting, at + dataWords + i, rule?.PointerAt(i));
    }

    private void CopyPointer(MessageReader message, int segment, ulong* pointer, int nesting, long slot, CopyRule? rule)
    {
        ulong word = *pointer;
        if (word == 0) return; // the slot is zero already; null is always allowed
        switch (rule?.Expect)
        {
            case CopyExpectation.Struct:
                CopyStruct(message.ReadStruct(segment, pointer, nesting), slot, rule);
                return;
            case CopyExpectation.List:
                CopyList(message.ReadList(segment, pointer, nesting), slot, rule);
                return;
            case CopyExpectation.Text or CopyExpectation.Data:
                CopyBlob(message.ReadBlobBytes(segment, pointer, rule.Expect == CopyExpectation.Text), slot);
                return;
        }
        // No rule: copied as whatever it is.
        int kind = WirePointer.Kind(word);
        if (kind == WirePointer.KindOther) return; // a capability: left null
        if (kind == WirePointer.KindFar) kind = message.TargetKind(segment, pointer);
        if (kind == WirePointer.KindStruct) CopyStruct(message.ReadStruct(segment, pointer, nesting), slot, null);
        else CopyList(message.ReadList(segment, pointer, nesting), slot, null);
    }

    private void CopyList(ListReader list, long slot, CopyRule? rule)
    {
        var size = list.ElementSize;
        int count = list.Count;
        Check(list, rule);
        var elements = rule?.Elements;
        if (size == ElementSize.InlineComposite)
        {
            int dataWords = list.DataBits / 64, pointers = list.PointersPerElement;
            long words = (long)count * (dataWords + pointers);
            long tag = Allocate(1 + words);
            SetPointer(slot, WirePointer.List(checked((int)(tag - slot - 1)), size, checked((int)words)));
            _buffer[FrameWords + tag] = WirePointer.Struct(count, dataWords, pointers); // a tag's offset is the element count
            // A struct element's pointers by the struct's rule; a pointer element (read from pointer 0) by the element rule.
            var structRule = elements == ElementExpectation.Struct ? rule!.Element : null;
            var pointerRule = elements == ElementExpectation.Pointer ? rule!.Element : null;
            for (int i = 0; i < count; i++)
            {
                var element = list.GetStruct(i);
                long at = tag + 1 + (long)i * (dataWords + pointers);
                new ReadOnlySpan<byte>(element.Data, dataWords * 8).CopyTo(Bytes(at, dataWords * 8));
                for (int p = 0; p < pointers; p++)
                    CopyPointer(list.Message!, list.Segment, element.Pointers + p, element.Nesting, at + dataWords + p, structRule?.PointerAt(p) ?? (p == 0 ? pointerRule : null));
            }
            return;
        }
        if (size == ElementSize.Pointer)
        {
            long at = Allocate(count);
            SetPointer(slot, WirePointer.List(checked((int)(at - slot - 1)), size, count));
            var pointerRule = elements == ElementExpectation.Struct ? rule!.Element?.PointerAt(0) : elements == ElementExpectation.Pointer ? rule!.Element : null;
            for (int i = 0; i < count; i++)
                CopyPointer(list.Message!, list.Segment, (ulong*)list.Start + i, list.Nesting, at + i, pointerRule);
            return;
        }
        // Primitive elements: the reader checked that these words lie in the segment.
        long bytes = ((long)count * ElementSizes.BitsPerElement(size) + 63) / 64 * 8;
        long start = Allocate(bytes / 8);
        SetPointer(slot, WirePointer.List(checked((int)(start - slot - 1)), size, count));
        new ReadOnlySpan<byte>(list.Start, checked((int)bytes)).CopyTo(Bytes(start, (int)bytes));
    }

    // Text and Data, most of a record's pointers: one resolve and one copy.
    private void CopyBlob(ReadOnlySpan<byte> bytes, long slot)
    {
        long at = Allocate((bytes.Length + 7) / 8);
        SetPointer(slot, WirePointer.List(checked((int)(at - slot - 1)), ElementSize.Byte, bytes.Length));
        bytes.CopyTo(Bytes(at, bytes.Length));
    }

    // The element checks of ListReader's accessors, made up front (with their messages).
    private static void Check(ListReader list, CopyRule? rule)
    {
        if (rule is null || list.Count == 0) return;
        switch (rule.Elements)
        {
            case ElementExpectation.Struct when list.ElementSize == ElementSize.Bit:
                throw list.Message!.MalformedError("A list of bits cannot be read as a list of structs.");
            case ElementExpectation.Scalar when list.ElementSize == ElementSize.Bit:
                throw list.Message!.MalformedError("A list of bits cannot be read as a list of wider values.");
            case ElementExpectation.Pointer when list.PointersPerElement == 0:
                throw list.Message!.MalformedError($"A list of {list.ElementSize} elements holds no pointers.");
        }
    }

    private void SetPointer(long slot, ulong pointer) => _buffer[FrameWords + slot] = pointer;

    private Span<byte> Bytes(long word, int length) =>
        MemoryMarshal.AsBytes(_buffer.AsSpan(checked((int)(FrameWords + word)), (length + 7) / 8)).Slice(0, length);

    /// <summary>Reserves <paramref name="words"/> zeroed words at the end of the segment and returns where they start.</summary>
    private long Allocate(long words)
    {
        long at = _used;
        long needed = FrameWords + at + words;
        if (needed > _buffer.Length)
        {
            if (needed > Array.MaxLength) throw new CapnpFormatException("A detached copy would exceed the largest array .NET allows.");
            var grown = new ulong[(int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_buffer.Length * 2))];
            _buffer.AsSpan(0, checked((int)(FrameWords + _used))).CopyTo(grown);
            _buffer = grown;
        }
        _used = at + words;
        return at;
    }
}
