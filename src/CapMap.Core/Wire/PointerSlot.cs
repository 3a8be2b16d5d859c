using System.Runtime.CompilerServices;
using System.Text;

namespace CapMap.Wire;

/// <summary>
/// One pointer word being written: a struct's pointer field, an element of a pointer list, or the root.
/// All "make a child object" operations live here so structs, lists and the root share one implementation.
/// </summary>
internal readonly unsafe struct PointerSlot
{
    private readonly MessageBuilder _message;
    private readonly int _segment;
    private readonly ulong* _slot;

    public PointerSlot(MessageBuilder message, int segment, ulong* slot)
    {
        _message = message;
        _segment = segment;
        _slot = slot;
    }

    public void Clear() => *_slot = 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public StructBuilder InitStruct(int dataWords, int pointerCount)
    {
        CheckStructSize(dataWords, pointerCount);
        int words = dataWords + pointerCount;
        ulong* target = _message.AllocateObject(_segment, _slot, words, WirePointer.Struct(0, dataWords, pointerCount), out int segment);
        return new StructBuilder(_message, segment, target, dataWords, pointerCount);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ListBuilder InitList(ElementSize elementSize, int count)
    {
        if (elementSize == ElementSize.InlineComposite)
            throw new ArgumentException("Use InitStructList for lists of structs.", nameof(elementSize));
        CheckCount(count);
        int bits = ElementSizes.BitsPerElement(elementSize);
        int words = checked((int)(((long)count * bits + 63) / 64));
        ulong* target = _message.AllocateObject(_segment, _slot, words, WirePointer.List(0, elementSize, count), out int segment);
        return ListBuilder.ForPrimitives(_message, segment, target, elementSize, count);
    }

    public ListBuilder InitStructList(int count, int dataWords, int pointerCount)
    {
        CheckCount(count);
        CheckStructSize(dataWords, pointerCount);
        int step = dataWords + pointerCount;
        long bodyWords = (long)count * step;
        if (bodyWords > WireLimits.MaxListElements)
            throw new CapnpCapacityException($"A list of {count} structs of {step} words needs {bodyWords} words; one list holds at most {WireLimits.MaxListElements}.");
        ulong* tag = _message.AllocateObject(_segment, _slot, (int)bodyWords + 1,
            WirePointer.List(0, ElementSize.InlineComposite, (int)bodyWords), out int segment);
        *tag = WirePointer.Struct(count, dataWords, pointerCount);
        return ListBuilder.ForStructs(_message, segment, tag + 1, count, dataWords, pointerCount);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetText(ReadOnlySpan<char> text)
    {
        // Most text is ASCII (names, ids, paths, log lines): one vectorized check, then a narrowing copy, where the
        // general path scans for surrogates twice and transcodes twice (count, then bytes).
        if (Ascii.IsValid(text))
        {
            Ascii.FromUtf16(text, AllocateBlob(text.Length, 1), out _);
            return;
        }
        int byteCount = Wtf8.GetByteCount(text);
        Span<byte> body = AllocateBlob(byteCount, 1);
        Wtf8.GetBytes(text, body);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetData(ReadOnlySpan<byte> data) => data.CopyTo(AllocateBlob(data.Length, 0));

    /// <summary>Allocates a byte list for a blob; Text carries one extra NUL byte that the zeroed memory already holds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Span<byte> AllocateBlob(int byteCount, int terminatorBytes)
    {
        long listBytes = (long)byteCount + terminatorBytes;
        if (listBytes > WireLimits.MaxListElements)
            throw new CapnpCapacityException($"A blob of {byteCount} bytes exceeds the {WireLimits.MaxListElements}-byte limit of one list.");
        int words = (int)((listBytes + 7) / 8);
        ulong* target = _message.AllocateObject(_segment, _slot, words, WirePointer.List(0, ElementSize.Byte, (int)listBytes), out _);
        return new Span<byte>(target, byteCount);
    }

    private static void CheckStructSize(int dataWords, int pointerCount)
    {
        if ((uint)dataWords > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(dataWords), dataWords, "A struct's data section holds 0 to 65535 words.");
        if ((uint)pointerCount > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(pointerCount), pointerCount, "A struct holds 0 to 65535 pointers.");
    }

    private static void CheckCount(int count)
    {
        if ((uint)count > WireLimits.MaxListElements)
            throw new CapnpCapacityException($"A list holds 0 to {WireLimits.MaxListElements} elements; {count} were asked for.");
    }
}
