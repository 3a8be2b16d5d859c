using System.Runtime.CompilerServices;

namespace CapMap.Wire;

/// <summary>
/// Writes the elements of a list in place: primitives (void, bit, 1/2/4/8-byte), pointers
/// (Text, Data, nested lists) or inline-composite structs. Setters check the index and that the
/// list's element size fits the value, so a schema mismatch is an exception, not corrupt bytes.
/// </summary>
public readonly unsafe struct ListBuilder
{
    private readonly MessageBuilder? _message;
    private readonly int _segment;
    private readonly byte* _start;
    private readonly int _structDataWords;
    private readonly int _structPointerCount;

    private ListBuilder(MessageBuilder message, int segment, byte* start, int count, ElementSize size, int structDataWords, int structPointerCount)
    {
        _message = message;
        _segment = segment;
        _start = start;
        Count = count;
        ElementSize = size;
        _structDataWords = structDataWords;
        _structPointerCount = structPointerCount;
    }

    internal static ListBuilder ForPrimitives(MessageBuilder message, int segment, ulong* start, ElementSize size, int count) =>
        new(message, segment, (byte*)start, count, size, 0, 0);

    internal static ListBuilder ForStructs(MessageBuilder message, int segment, ulong* firstElement, int count, int dataWords, int pointerCount) =>
        new(message, segment, (byte*)firstElement, count, ElementSize.InlineComposite, dataWords, pointerCount);

    /// <summary>True for the default value: "no list"; writes then throw.</summary>
    public bool IsNull => _message is null;

    /// <summary>Number of elements.</summary>
    public int Count { get; }

    /// <summary>How each element is encoded; setters for another size throw.</summary>
    public ElementSize ElementSize { get; }

    /// <summary>Sets element <paramref name="index"/> of a List(Bool).</summary>
    public void SetBool(int index, bool value)
    {
        CheckIndex(index);
        RequireSize(ElementSize.Bit);
        byte* b = _start + (index >> 3);
        int mask = 1 << (index & 7);
        *b = value ? (byte)(*b | mask) : (byte)(*b & ~mask);
    }

    /// <summary>Sets element <paramref name="index"/> of a list of Byte elements.</summary>
    public void SetInt8(int index, sbyte value) => Set(index, (byte)value, ElementSize.Byte);

    /// <summary>Sets element <paramref name="index"/> of a list of Byte elements.</summary>
    public void SetUInt8(int index, byte value) => Set(index, value, ElementSize.Byte);

    /// <summary>Sets element <paramref name="index"/> of a list of TwoBytes elements.</summary>
    public void SetInt16(int index, short value) => Set(index, (ushort)value, ElementSize.TwoBytes);

    /// <summary>Sets element <paramref name="index"/> of a list of TwoBytes elements.</summary>
    public void SetUInt16(int index, ushort value) => Set(index, value, ElementSize.TwoBytes);

    /// <summary>Sets element <paramref name="index"/> of a list of FourBytes elements.</summary>
    public void SetInt32(int index, int value) => Set(index, (uint)value, ElementSize.FourBytes);

    /// <summary>Sets element <paramref name="index"/> of a list of FourBytes elements.</summary>
    public void SetUInt32(int index, uint value) => Set(index, value, ElementSize.FourBytes);

    /// <summary>Sets element <paramref name="index"/> of a list of EightBytes elements.</summary>
    public void SetInt64(int index, long value) => Set(index, (ulong)value, ElementSize.EightBytes);

    /// <summary>Sets element <paramref name="index"/> of a list of EightBytes elements.</summary>
    public void SetUInt64(int index, ulong value) => Set(index, value, ElementSize.EightBytes);

    /// <summary>Sets element <paramref name="index"/> of a list of FourBytes elements.</summary>
    public void SetFloat32(int index, float value) => Set(index, BitConverter.SingleToUInt32Bits(value), ElementSize.FourBytes);

    /// <summary>Sets element <paramref name="index"/> of a list of EightBytes elements.</summary>
    public void SetFloat64(int index, double value) => Set(index, BitConverter.DoubleToUInt64Bits(value), ElementSize.EightBytes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Set<T>(int index, T bits, ElementSize expected) where T : unmanaged
    {
        CheckIndex(index);
        RequireSize(expected);
        ((T*)_start)[index] = bits;
    }

    /// <summary>The element <paramref name="index"/> of a List(Struct), for writing in place.</summary>
    public StructBuilder GetStruct(int index)
    {
        CheckIndex(index);
        RequireSize(ElementSize.InlineComposite);
        long step = _structDataWords + _structPointerCount;
        return new StructBuilder(_message!, _segment, (ulong*)_start + index * step, _structDataWords, _structPointerCount);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal PointerSlot Slot(int index)
    {
        CheckIndex(index);
        RequireSize(ElementSize.Pointer);
        return new PointerSlot(_message!, _segment, (ulong*)_start + index);
    }

    /// <summary>Writes Text into element <paramref name="index"/> of a pointer list; null makes the element null.</summary>
    public void SetText(int index, string? text)
    {
        if (text is null) Slot(index).Clear();
        else Slot(index).SetText(text.AsSpan());
    }

    /// <summary>Writes Text into element <paramref name="index"/> of a pointer list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetText(int index, ReadOnlySpan<char> text) => Slot(index).SetText(text);

    /// <summary>Writes Data into element <paramref name="index"/> of a pointer list.</summary>
    public void SetData(int index, ReadOnlySpan<byte> data) => Slot(index).SetData(data);

    /// <summary>Allocates a zeroed struct and points element <paramref name="index"/> of a pointer list at it.</summary>
    public StructBuilder InitStruct(int index, int dataWords, int pointerCount) => Slot(index).InitStruct(dataWords, pointerCount);

    /// <summary>Allocates a zeroed list and points element <paramref name="index"/> of a pointer list at it.</summary>
    public ListBuilder InitList(int index, ElementSize elementSize, int count) => Slot(index).InitList(elementSize, count);

    /// <summary>Allocates a zeroed List(Struct) and points element <paramref name="index"/> of a pointer list at it.</summary>
    public ListBuilder InitStructList(int index, int count, int dataWords, int pointerCount) => Slot(index).InitStructList(count, dataWords, pointerCount);

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The list has {Count} element(s).");
    }

    private void RequireSize(ElementSize expected)
    {
        if (ElementSize != expected)
            throw new InvalidOperationException($"This list holds {ElementSize} elements; the operation needs {expected}.");
    }
}
