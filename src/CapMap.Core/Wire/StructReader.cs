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

    // For DetachedCopy, which copies the struct word for word (the pointers through MessageReader's checks).
    internal MessageReader? Message => _message;
    internal int Segment => _segment;
    internal byte* Data => _data;
    internal ulong* Pointers => _pointers;
    internal int Nesting => _nesting;

    /// <summary>Whole words of data section (a struct read from a primitive list may hold less than one).</summary>
    public int DataWordCount => _dataBytes / 8;

    /// <summary>Bytes in the data section (a struct from an older schema may have fewer than this schema expects).</summary>
    public int DataByteCount => _dataBytes;
    /// <summary>Pointers in the pointer section.</summary>
    public int PointerCount { get; }

    /// <summary>Reads the Bool field at <paramref name="bitOffset"/> (in bits), XORed with <paramref name="defaultValue"/>; a field beyond the data section reads as the default.</summary>
    public bool ReadBool(int bitOffset, bool defaultValue = false)
    {
        if ((uint)bitOffset >= (uint)_dataBytes * 8) return defaultValue;
        bool bit = (_data[bitOffset >> 3] & (1 << (bitOffset & 7))) != 0;
        return bit ^ defaultValue;
    }

    /// <summary>Reads the Int8 field at <paramref name="offset"/> (in units of its own size), XORed with <paramref name="defaultValue"/>; a field beyond the data section reads as the default.</summary>
    public sbyte ReadInt8(int offset, sbyte defaultValue = 0) => (sbyte)(Read<byte>(offset) ^ (byte)defaultValue);
    /// <summary>Reads the UInt8 field at <paramref name="offset"/> (in units of its own size), XORed with <paramref name="defaultValue"/>; a field beyond the data section reads as the default.</summary>
    public byte ReadUInt8(int offset, byte defaultValue = 0) => (byte)(Read<byte>(offset) ^ defaultValue);
    /// <summary>Reads the Int16 field at <paramref name="offset"/> (in units of its own size), XORed with <paramref name="defaultValue"/>; a field beyond the data section reads as the default.</summary>
    public short ReadInt16(int offset, short defaultValue = 0) => (short)(Read<ushort>(offset) ^ (ushort)defaultValue);
    /// <summary>Reads the UInt16 field at <paramref name="offset"/> (in units of its own size), XORed with <paramref name="defaultValue"/>; a field beyond the data section reads as the default.</summary>
    public ushort ReadUInt16(int offset, ushort defaultValue = 0) => (ushort)(Read<ushort>(offset) ^ defaultValue);
    /// <summary>Reads the Int32 field at <paramref name="offset"/> (in units of its own size), XORed with <paramref name="defaultValue"/>; a field beyond the data section reads as the default.</summary>
    public int ReadInt32(int offset, int defaultValue = 0) => (int)(Read<uint>(offset) ^ (uint)defaultValue);
    /// <summary>Reads the UInt32 field at <paramref name="offset"/> (in units of its own size), XORed with <paramref name="defaultValue"/>; a field beyond the data section reads as the default.</summary>
    public uint ReadUInt32(int offset, uint defaultValue = 0) => Read<uint>(offset) ^ defaultValue;
    /// <summary>Reads the Int64 field at <paramref name="offset"/> (in units of its own size), XORed with <paramref name="defaultValue"/>; a field beyond the data section reads as the default.</summary>
    public long ReadInt64(int offset, long defaultValue = 0) => (long)(Read<ulong>(offset) ^ (ulong)defaultValue);
    /// <summary>Reads the UInt64 field at <paramref name="offset"/> (in units of its own size), XORed with <paramref name="defaultValue"/>; a field beyond the data section reads as the default.</summary>
    public ulong ReadUInt64(int offset, ulong defaultValue = 0) => Read<ulong>(offset) ^ defaultValue;

    /// <summary>Reads the Float32 field at <paramref name="offset"/> (in units of its own size), XORed with <paramref name="defaultValue"/>; a field beyond the data section reads as the default.</summary>
    public float ReadFloat32(int offset, float defaultValue = 0) =>
        BitConverter.UInt32BitsToSingle(Read<uint>(offset) ^ BitConverter.SingleToUInt32Bits(defaultValue));

    /// <summary>Reads the Float64 field at <paramref name="offset"/> (in units of its own size), XORed with <paramref name="defaultValue"/>; a field beyond the data section reads as the default.</summary>
    public double ReadFloat64(int offset, double defaultValue = 0) =>
        BitConverter.UInt64BitsToDouble(Read<ulong>(offset) ^ BitConverter.DoubleToUInt64Bits(defaultValue));

    /// <summary>The raw stored bits (zero outside the data section); the caller XORs the default.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T Read<T>(int offset) where T : unmanaged
    {
        if ((uint)offset >= (uint)(_dataBytes / sizeof(T))) return default;
        return Unsafe.ReadUnaligned<T>(_data + (long)offset * sizeof(T));
    }

    /// <summary>True if pointer <paramref name="pointerIndex"/> is null or lies beyond this struct's pointer section.</summary>
    public bool IsPointerNull(int pointerIndex) => (uint)pointerIndex >= (uint)PointerCount || _pointers[pointerIndex] == 0;

    /// <summary>The struct pointer <paramref name="pointerIndex"/> points to; a null (default) reader when the pointer is null or absent.</summary>
    public StructReader ReadStruct(int pointerIndex) =>
        (uint)pointerIndex >= (uint)PointerCount ? default : _message!.ReadStruct(_segment, _pointers + pointerIndex, _nesting);

    /// <summary>The list pointer <paramref name="pointerIndex"/> points to; an empty list when the pointer is null or absent.</summary>
    public ListReader ReadList(int pointerIndex) =>
        (uint)pointerIndex >= (uint)PointerCount ? default : _message!.ReadList(_segment, _pointers + pointerIndex, _nesting);

    /// <summary>The Text pointer <paramref name="pointerIndex"/> points to, decoded from UTF-8; null when the pointer is null or absent.</summary>
    public string? ReadText(int pointerIndex) =>
        (uint)pointerIndex >= (uint)PointerCount ? null : _message!.ReadText(_segment, _pointers + pointerIndex);

    /// <summary>As <see cref="ReadText(int)"/>, returning <paramref name="recent"/>'s string when the bytes are the ones it read last.</summary>
    public string? ReadText(int pointerIndex, RecentText recent) =>
        (uint)pointerIndex >= (uint)PointerCount ? null : _message!.ReadText(_segment, _pointers + pointerIndex, recent);

    /// <summary>The Data pointer <paramref name="pointerIndex"/> points to, copied; null when the pointer is null or absent.</summary>
    public byte[]? ReadData(int pointerIndex) =>
        (uint)pointerIndex >= (uint)PointerCount ? null : _message!.ReadData(_segment, _pointers + pointerIndex);

    /// <summary>Data without a copy; valid only while the message reader is alive.</summary>
    public ReadOnlySpan<byte> ReadDataSpan(int pointerIndex) =>
        (uint)pointerIndex >= (uint)PointerCount ? default : _message!.ReadBlob(_segment, _pointers + pointerIndex, isText: false, out _);
}
