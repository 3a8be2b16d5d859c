using System.Runtime.CompilerServices;

namespace CapMap.Wire;

/// <summary>
/// Reads one struct in place. Offsets are in units of the field's own size, as in the schema. A field
/// beyond the struct's data or pointer section (written by an older schema) reads as its default, which
/// is what makes schema evolution work. A default (all-zero) StructReader reads as all defaults.
/// </summary>
public readonly unsafe struct StructReader
{
    private readonly MessageReader? _message;
    private readonly int _segment;
    private readonly byte* _data;
    private readonly int _dataBytes;
    private readonly ulong* _pointers;
    private readonly int _nesting;

    internal StructReader(MessageReader message, int segment, byte* data, int dataBytes, ulong* pointers, int pointerCount, int nesting)
    {
        _message = message;
        _segment = segment;
        _data = data;
        _dataBytes = dataBytes;
        _pointers = pointers;
        PointerCount = pointerCount;
        _nesting = nesting;
    }

    /// <summary>True when no struct was there (a null pointer); every read then returns the default.</summary>
    public bool IsNull => _message is null;

    /// <summary>Whole words of data section (a struct read from a primitive list may hold less than one).</summary>
    public int DataWordCount => _dataBytes / 8;

    public int DataByteCount => _dataBytes;
    public int PointerCount { get; }

    public bool ReadBool(int bitOffset, bool defaultValue = false)
    {
        if ((uint)bitOffset >= (uint)_dataBytes * 8) return defaultValue;
        bool bit = (_data[bitOffset >> 3] & (1 << (bitOffset & 7))) != 0;
        return bit ^ defaultValue;
    }

    public sbyte ReadInt8(int offset, sbyte defaultValue = 0) => (sbyte)(Read<byte>(offset) ^ (byte)defaultValue);
    public byte ReadUInt8(int offset, byte defaultValue = 0) => (byte)(Read<byte>(offset) ^ defaultValue);
    public short ReadInt16(int offset, short defaultValue = 0) => (short)(Read<ushort>(offset) ^ (ushort)defaultValue);
    public ushort ReadUInt16(int offset, ushort defaultValue = 0) => (ushort)(Read<ushort>(offset) ^ defaultValue);
    public int ReadInt32(int offset, int defaultValue = 0) => (int)(Read<uint>(offset) ^ (uint)defaultValue);
    public uint ReadUInt32(int offset, uint defaultValue = 0) => Read<uint>(offset) ^ defaultValue;
    public long ReadInt64(int offset, long defaultValue = 0) => (long)(Read<ulong>(offset) ^ (ulong)defaultValue);
    public ulong ReadUInt64(int offset, ulong defaultValue = 0) => Read<ulong>(offset) ^ defaultValue;

    public float ReadFloat32(int offset, float defaultValue = 0) =>
        BitConverter.UInt32BitsToSingle(Read<uint>(offset) ^ BitConverter.SingleToUInt32Bits(defaultValue));

    public double ReadFloat64(int offset, double defaultValue = 0) =>
        BitConverter.UInt64BitsToDouble(Read<ulong>(offset) ^ BitConverter.DoubleToUInt64Bits(defaultValue));

    /// <summary>The raw stored bits (zero outside the data section); the caller XORs the default.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T Read<T>(int offset) where T : unmanaged
    {
        if ((uint)offset >= (uint)(_dataBytes / sizeof(T))) return default;
        return Unsafe.ReadUnaligned<T>(_data + (long)offset * sizeof(T));
    }

    public bool IsPointerNull(int pointerIndex) => (uint)pointerIndex >= (uint)PointerCount || _pointers[pointerIndex] == 0;

    public StructReader ReadStruct(int pointerIndex) =>
        (uint)pointerIndex >= (uint)PointerCount ? default : _message!.ReadStruct(_segment, _pointers + pointerIndex, _nesting);

    public ListReader ReadList(int pointerIndex) =>
        (uint)pointerIndex >= (uint)PointerCount ? default : _message!.ReadList(_segment, _pointers + pointerIndex, _nesting);

    public string? ReadText(int pointerIndex) =>
        (uint)pointerIndex >= (uint)PointerCount ? null : _message!.ReadText(_segment, _pointers + pointerIndex);

    public byte[]? ReadData(int pointerIndex) =>
        (uint)pointerIndex >= (uint)PointerCount ? null : _message!.ReadData(_segment, _pointers + pointerIndex);

    /// <summary>Data without a copy; valid only while the message reader is alive.</summary>
    public ReadOnlySpan<byte> ReadDataSpan(int pointerIndex) =>
        (uint)pointerIndex >= (uint)PointerCount ? default : _message!.ReadBlob(_segment, _pointers + pointerIndex, isText: false, out _);
}
