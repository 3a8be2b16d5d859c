using System.Runtime.CompilerServices;

namespace CapMap.Wire;

/// <summary>
/// Writes one struct in place. Data offsets are in units of the field's own size, exactly as in the
/// schema (<c>Field.slot.offset</c>); values are stored XORed with the field's default. A default
/// (all-zero) StructBuilder is "no struct" and rejects writes.
/// </summary>
public readonly unsafe struct StructBuilder
{
    private readonly MessageBuilder? _message;
    private readonly int _segment;
    private readonly byte* _data;

    internal StructBuilder(MessageBuilder message, int segment, ulong* start, int dataWords, int pointerCount)
    {
        _message = message;
        _segment = segment;
        _data = (byte*)start;
        DataWordCount = dataWords;
        PointerCount = pointerCount;
    }

    /// <summary>True for the default value: "no struct"; writes then throw.</summary>
    public bool IsNull => _message is null;

    /// <summary>Words in the data section.</summary>
    public int DataWordCount { get; }

    /// <summary>Pointers in the pointer section.</summary>
    public int PointerCount { get; }

    /// <summary>Segment holding the struct (diagnostics and tests).</summary>
    public int SegmentId => _segment;

    /// <summary>
    /// The arena's move epoch of the struct's segment (<see cref="ISegmentArena.GetMoveEpoch"/>): this builder
    /// may be used only while it stays the same.
    /// </summary>
    public long MoveEpoch => _message?.Arena.GetMoveEpoch(_segment) ?? 0;

    /// <summary>Word offset of the data section in its segment: with <see cref="SegmentId"/>, a place that survives segment moves.</summary>
    internal long WordOffset => ((ulong*)_data - _message!.Arena.GetSegmentStart(_segment));

    private ulong* Pointers => (ulong*)(_data + DataWordCount * 8);

    /// <summary>Sets the bit at <paramref name="bitOffset"/> (in bits from the data section start) to <paramref name="value"/> XOR <paramref name="defaultValue"/>.</summary>
    public void WriteBool(int bitOffset, bool value, bool defaultValue = false)
    {
        if ((uint)bitOffset >= (uint)DataWordCount * 64) throw FieldOutOfRange(bitOffset, 1);
        byte* b = _data + (bitOffset >> 3);
        int mask = 1 << (bitOffset & 7);
        *b = (value ^ defaultValue) ? (byte)(*b | mask) : (byte)(*b & ~mask);
    }

    /// <summary>Stores <paramref name="value"/> XORed with <paramref name="defaultValue"/> at <paramref name="offset"/>, counted in 8-bit units (the schema's slot offset).</summary>
    public void WriteInt8(int offset, sbyte value, sbyte defaultValue = 0) => Write(offset, (byte)(value ^ defaultValue));

    /// <summary>Stores <paramref name="value"/> XORed with <paramref name="defaultValue"/> at <paramref name="offset"/>, counted in 8-bit units (the schema's slot offset).</summary>
    public void WriteUInt8(int offset, byte value, byte defaultValue = 0) => Write(offset, (byte)(value ^ defaultValue));

    /// <summary>Stores <paramref name="value"/> XORed with <paramref name="defaultValue"/> at <paramref name="offset"/>, counted in 16-bit units (the schema's slot offset).</summary>
    public void WriteInt16(int offset, short value, short defaultValue = 0) => Write(offset, (ushort)(value ^ defaultValue));

    /// <summary>Stores <paramref name="value"/> XORed with <paramref name="defaultValue"/> at <paramref name="offset"/>, counted in 16-bit units (the schema's slot offset).</summary>
    public void WriteUInt16(int offset, ushort value, ushort defaultValue = 0) => Write(offset, (ushort)(value ^ defaultValue));

    /// <summary>Stores <paramref name="value"/> XORed with <paramref name="defaultValue"/> at <paramref name="offset"/>, counted in 32-bit units (the schema's slot offset).</summary>
    public void WriteInt32(int offset, int value, int defaultValue = 0) => Write(offset, (uint)(value ^ defaultValue));

    /// <summary>Stores <paramref name="value"/> XORed with <paramref name="defaultValue"/> at <paramref name="offset"/>, counted in 32-bit units (the schema's slot offset).</summary>
    public void WriteUInt32(int offset, uint value, uint defaultValue = 0) => Write(offset, value ^ defaultValue);

    /// <summary>Stores <paramref name="value"/> XORed with <paramref name="defaultValue"/> at <paramref name="offset"/>, counted in 64-bit units (the schema's slot offset).</summary>
    public void WriteInt64(int offset, long value, long defaultValue = 0) => Write(offset, (ulong)(value ^ defaultValue));

    /// <summary>Stores <paramref name="value"/> XORed with <paramref name="defaultValue"/> at <paramref name="offset"/>, counted in 64-bit units (the schema's slot offset).</summary>
    public void WriteUInt64(int offset, ulong value, ulong defaultValue = 0) => Write(offset, value ^ defaultValue);

    /// <summary>Stores <paramref name="value"/> XORed with <paramref name="defaultValue"/> at <paramref name="offset"/>, counted in 32-bit units (the schema's slot offset).</summary>
    public void WriteFloat32(int offset, float value, float defaultValue = 0) =>
        Write(offset, BitConverter.SingleToUInt32Bits(value) ^ BitConverter.SingleToUInt32Bits(defaultValue));

    /// <summary>Stores <paramref name="value"/> XORed with <paramref name="defaultValue"/> at <paramref name="offset"/>, counted in 64-bit units (the schema's slot offset).</summary>
    public void WriteFloat64(int offset, double value, double defaultValue = 0) =>
        Write(offset, BitConverter.DoubleToUInt64Bits(value) ^ BitConverter.DoubleToUInt64Bits(defaultValue));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Write<T>(int offset, T bits) where T : unmanaged
    {
        if ((uint)offset >= (uint)(DataWordCount * 8 / sizeof(T))) throw FieldOutOfRange(offset, sizeof(T) * 8);
        ((T*)_data)[offset] = bits;
    }

    private ArgumentOutOfRangeException FieldOutOfRange(int offset, int bits) =>
        new(nameof(offset), offset, $"A {bits}-bit field at offset {offset} lies outside this struct's {DataWordCount}-word data section.");

    /// <summary>Where pointer <paramref name="pointerIndex"/> lives (for callers that must remember its old value).</summary>
    internal ulong* PointerAddress(int pointerIndex)
    {
        if ((uint)pointerIndex >= (uint)PointerCount)
            throw new ArgumentOutOfRangeException(nameof(pointerIndex), pointerIndex, $"This struct has {PointerCount} pointer(s).");
        return Pointers + pointerIndex;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal PointerSlot Slot(int pointerIndex)
    {
        if ((uint)pointerIndex >= (uint)PointerCount)
            throw new ArgumentOutOfRangeException(nameof(pointerIndex), pointerIndex, $"This struct has {PointerCount} pointer(s).");
        return new PointerSlot(_message!, _segment, Pointers + pointerIndex);
    }

    /// <summary>Allocates a zeroed struct of the given sizes and points pointer <paramref name="pointerIndex"/> at it.</summary>
    public StructBuilder InitStruct(int pointerIndex, int dataWords, int pointerCount) => Slot(pointerIndex).InitStruct(dataWords, pointerCount);

    /// <summary>Allocates a zeroed list of <paramref name="count"/> primitive or pointer elements and points pointer <paramref name="pointerIndex"/> at it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ListBuilder InitList(int pointerIndex, ElementSize elementSize, int count) => Slot(pointerIndex).InitList(elementSize, count);

    /// <summary>Allocates a zeroed List(Struct) of <paramref name="count"/> elements and points pointer <paramref name="pointerIndex"/> at it.</summary>
    public ListBuilder InitStructList(int pointerIndex, int count, int dataWords, int pointerCount) => Slot(pointerIndex).InitStructList(count, dataWords, pointerCount);

    /// <summary>Opens a List(Struct) whose length is not known yet; see <see cref="StreamingStructListBuilder"/>.</summary>
    public StreamingStructListBuilder InitStreamingStructList(int pointerIndex, int dataWords, int pointerCount)
    {
        _ = Slot(pointerIndex); // bounds check
        return new StreamingStructListBuilder(_message!, _segment, Pointers + pointerIndex, dataWords, pointerCount);
    }

    /// <summary>Writes Text; null clears the pointer (readers then see the default).</summary>
    public void SetText(int pointerIndex, string? text)
    {
        if (text is null) Slot(pointerIndex).Clear();
        else Slot(pointerIndex).SetText(text.AsSpan());
    }

    /// <summary>Writes Text (UTF-8 with its NUL terminator) and points pointer <paramref name="pointerIndex"/> at it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetText(int pointerIndex, ReadOnlySpan<char> text) => Slot(pointerIndex).SetText(text);

    /// <summary>Writes Data and points pointer <paramref name="pointerIndex"/> at it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetData(int pointerIndex, ReadOnlySpan<byte> data) => Slot(pointerIndex).SetData(data);

    /// <summary>Makes pointer <paramref name="pointerIndex"/> null (readers see the default); the old target stays as unreachable bytes.</summary>
    public void ClearPointer(int pointerIndex) => Slot(pointerIndex).Clear();
}
