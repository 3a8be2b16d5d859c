using System.Runtime.CompilerServices;

namespace CapMap.Wire;

/// <summary>
/// Reads the elements of a list in place. Like C++, it accepts any encoding that can carry the
/// requested element: a struct list read as primitives yields each element's first data field, and a
/// primitive list read as structs yields structs whose data section is that one value. A default
/// (all-zero) ListReader is the empty list.
/// </summary>
public readonly unsafe struct ListReader
{
    private readonly MessageReader? _message;
    private readonly int _segment;
    private readonly byte* _start;
    private readonly long _stepBits;
    private readonly int _dataBits;
    private readonly int _pointerCount;
    private readonly int _nesting;

    internal ListReader(MessageReader message, int segment, byte* start, int count, ElementSize size, long stepBits, int dataBits, int pointerCount, int nesting)
    {
        _message = message;
        _segment = segment;
        _start = start;
        Count = count;
        ElementSize = size;
        _stepBits = stepBits;
        _dataBits = dataBits;
        _pointerCount = pointerCount;
        _nesting = nesting;
    }

    /// <summary>True for the empty default list (a null pointer).</summary>
    public bool IsNull => _message is null;

    // For DetachedCopy, which copies the list word for word (the pointers through MessageReader's checks).
    internal MessageReader? Message => _message;
    internal int Segment => _segment;
    internal byte* Start => _start;
    internal long StepBits => _stepBits;
    internal int DataBits => _dataBits;
    internal int PointersPerElement => _pointerCount;
    internal int Nesting => _nesting;
    /// <summary>Number of elements.</summary>
    public int Count { get; }
    /// <summary>How each element is encoded.</summary>
    public ElementSize ElementSize { get; }

    /// <summary>Element <paramref name="index"/> of a List(Bool).</summary>
    public bool GetBool(int index)
    {
        CheckIndex(index);
        // Bit lists are compatible with nothing else (as in C++): a struct or byte list is not a List(Bool).
        if (ElementSize != ElementSize.Bit)
            throw new CapnpFormatException($"Found a list of {ElementSize} elements where a list of bits was expected.");
        long bit = index;
        return (_start[bit >> 3] & (1 << (int)(bit & 7))) != 0;
    }

    /// <summary>Element <paramref name="index"/> as Int8.</summary>
    public sbyte GetInt8(int index) => (sbyte)Get<byte>(index);
    /// <summary>Element <paramref name="index"/> as UInt8.</summary>
    public byte GetUInt8(int index) => Get<byte>(index);
    /// <summary>Element <paramref name="index"/> as Int16.</summary>
    public short GetInt16(int index) => (short)Get<ushort>(index);
    /// <summary>Element <paramref name="index"/> as UInt16.</summary>
    public ushort GetUInt16(int index) => Get<ushort>(index);
    /// <summary>Element <paramref name="index"/> as Int32.</summary>
    public int GetInt32(int index) => (int)Get<uint>(index);
    /// <summary>Element <paramref name="index"/> as UInt32.</summary>
    public uint GetUInt32(int index) => Get<uint>(index);
    /// <summary>Element <paramref name="index"/> as Int64.</summary>
    public long GetInt64(int index) => (long)Get<ulong>(index);
    /// <summary>Element <paramref name="index"/> as UInt64.</summary>
    public ulong GetUInt64(int index) => Get<ulong>(index);
    /// <summary>Element <paramref name="index"/> as Float32.</summary>
    public float GetFloat32(int index) => BitConverter.UInt32BitsToSingle(Get<uint>(index));
    /// <summary>Element <paramref name="index"/> as Float64.</summary>
    public double GetFloat64(int index) => BitConverter.UInt64BitsToDouble(Get<ulong>(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T Get<T>(int index) where T : unmanaged
    {
        CheckIndex(index);
        if (ElementSize == ElementSize.Bit)
            throw new CapnpFormatException("A list of bits cannot be read as a list of wider values.");
        // An element narrower than the value (an older, smaller struct) reads as zero, like a missing field.
        if (_dataBits < sizeof(T) * 8) return default;
        return Unsafe.ReadUnaligned<T>(_start + index * (_stepBits >> 3));
    }

    /// <summary>Element <paramref name="index"/> of a List(Struct) (also of a list of primitives read as structs, as schema evolution allows).</summary>
    public StructReader GetStruct(int index)
    {
        CheckIndex(index);
        if (ElementSize == ElementSize.Bit)
            throw new CapnpFormatException("A list of bits cannot be read as a list of structs.");
        if (_nesting <= 0) throw new CapnpFormatException("The message nests deeper than the nesting limit.");
        byte* element = _start + index * (_stepBits >> 3);
        return new StructReader(_message!, _segment, element, _dataBits / 8, (ulong*)(element + _dataBits / 8), _pointerCount, _nesting - 1);
    }

    /// <summary>The list element <paramref name="index"/> of a pointer list points to.</summary>
    public ListReader GetList(int index) => _message!.ReadList(_segment, PointerOf(index), _nesting);
    /// <summary>The Text element <paramref name="index"/> of a pointer list points to; null for a null element.</summary>
    public string? GetText(int index) => _message!.ReadText(_segment, PointerOf(index));
    /// <summary>The Data element <paramref name="index"/> of a pointer list points to, copied; null for a null element.</summary>
    public byte[]? GetData(int index) => _message!.ReadData(_segment, PointerOf(index));

    /// <summary>The element's first pointer (a pointer list's element, or a struct element's pointer 0).</summary>
    private ulong* PointerOf(int index)
    {
        CheckIndex(index);
        if (_pointerCount == 0)
            throw new CapnpFormatException($"A list of {ElementSize} elements holds no pointers.");
        return (ulong*)(_start + index * (_stepBits >> 3) + _dataBits / 8);
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The list has {Count} element(s).");
    }
}
