using System.Runtime.InteropServices;
using System.Text;

namespace CapMap.Wire;

/// <summary>
/// Reads a stream-framed message in place: from a byte array, a read-only file mapping, or any memory
/// the caller keeps alive. Every pointer is bounds-checked against its segment, every object read is
/// charged to the traversal limit and every level of nesting to the nesting limit, so malformed or
/// hostile bytes end in <see cref="CapnpFormatException"/> in bounded time and memory.
/// </summary>
public sealed unsafe partial class MessageReader : IDisposable
{
    private readonly ulong*[] _segmentStarts;
    private readonly int[] _segmentWords;
    private readonly IDisposable? _owner;
    private readonly ITruncatableMemory? _file; // the owner, when reading a mapped file that may shrink
    private readonly int _nestingLimit;
    private long _traversalRemaining;
    private bool _disposed;

    private MessageReader(SegmentTable table, byte* message, IDisposable? owner, ReaderOptions? options)
    {
        options ??= ReaderOptions.Default;
        Table = table;
        _owner = owner;
        _file = owner as ITruncatableMemory;
        _nestingLimit = options.NestingLimit;
        _traversalRemaining = options.TraversalLimitInWords;
        _segmentStarts = new ulong*[table.SegmentCount];
        _segmentWords = new int[table.SegmentCount];
        for (int i = 0; i < table.SegmentCount; i++)
        {
            _segmentStarts[i] = (ulong*)(message + table.SegmentOffsets[i]);
            _segmentWords[i] = table.SegmentWords[i];
        }
    }

    /// <summary>
    /// Reads a message from memory the caller owns and keeps alive for the reader's lifetime. An
    /// <paramref name="owner"/> that is <see cref="ITruncatableMemory"/> (a file mapping) is asked after every pointer
    /// whether the memory was cut; the reader disposes the owner with itself.
    /// </summary>
    public static MessageReader FromMemory(byte* message, long length, ReaderOptions? options = null, IDisposable? owner = null)
    {
        var table = Framing.ReadTable(new ReadOnlySpan<byte>(message, (int)Math.Min(length, int.MaxValue)));
        if (table.MessageBytes > length)
            throw new CapnpFormatException($"The segment table declares {table.MessageBytes} bytes but only {length} are present.");
        return new MessageReader(table, message, owner, options);
    }

    /// <summary>Reads a stream-framed message held in an array (the array is pinned until disposal).</summary>
    public static MessageReader FromFramedBytes(byte[] streamFramedMessage, ReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(streamFramedMessage);
        var pin = new PinnedArray(streamFramedMessage);
        try
        {
            return FromMemory(pin.Pointer, streamFramedMessage.Length, options, pin);
        }
        catch
        {
            pin.Dispose();
            throw;
        }
    }

    /// <summary>The segment table the message starts with.</summary>
    public SegmentTable Table { get; }

    /// <summary>Segments of the message.</summary>
    public int SegmentCount => _segmentWords.Length;

    /// <summary>
    /// Throws (<see cref="IO.FileTruncatedException"/>, see <see cref="IO.MessageFile.Open"/>) if the file this reader
    /// maps was cut since it was opened and a read touched the part that is gone (that read saw zeros). No-op for
    /// memory readers.
    /// </summary>
    public void ThrowIfFileTruncated() => _file?.ThrowIfShrunk();

    /// <summary>
    /// Runs <paramref name="read"/> and returns its result only if the mapped file stayed whole meanwhile;
    /// a <see cref="CapnpFormatException"/> caused by the zeros of a cut file is reported as
    /// <see cref="IO.FileTruncatedException"/>. For memory readers it just runs <paramref name="read"/>.
    /// </summary>
    public T ReadConsistent<T>(Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return _file is null ? read() : _file.ReadConsistent(read);
    }

    /// <inheritdoc cref="ReadConsistent{T}(Func{T})"/>
    public void ReadConsistent(Action read)
    {
        ArgumentNullException.ThrowIfNull(read);
        ReadConsistent(() => { read(); return true; });
    }

    /// <summary>Words of traversal budget left.</summary>
    public long TraversalRemaining => _traversalRemaining;

    /// <summary>The root struct (all defaults when the root pointer is null or segment 0 is empty).</summary>
    public StructReader GetRoot()
    {
        ThrowIfDisposed();
        if (_segmentWords[0] == 0) return default;
        return ReadStruct(0, _segmentStarts[0], _nestingLimit);
    }

    // ---- pointer following, shared by StructReader and ListReader ----

    internal StructReader ReadStruct(int segment, ulong* slot, int nesting)
    {
        if (*slot == 0) return default;
        ThrowIfDisposed();
        if (nesting <= 0) throw Malformed("The message nests deeper than the nesting limit.");
        ulong* target = Resolve(segment, slot, out int targetSegment, out ulong pointer);
        if (WirePointer.Kind(pointer) != WirePointer.KindStruct)
            throw Malformed($"Expected a struct pointer, found a {KindName(pointer)} pointer.");
        int dataWords = WirePointer.StructDataWords(pointer);
        int pointerCount = WirePointer.StructPointerCount(pointer);
        CheckBounds(targetSegment, target, dataWords + pointerCount);
        Charge(Math.Max(1, dataWords + pointerCount));
        _file?.ThrowIfTruncated();
        return new StructReader(this, targetSegment, (byte*)target, dataWords * 8, target + dataWords, pointerCount, nesting - 1);
    }

    internal ListReader ReadList(int segment, ulong* slot, int nesting)
    {
        if (*slot == 0) return default;
        ThrowIfDisposed();
        if (nesting <= 0) throw Malformed("The message nests deeper than the nesting limit.");
        ulong* target = Resolve(segment, slot, out int targetSegment, out ulong pointer);
        if (WirePointer.Kind(pointer) != WirePointer.KindList)
            throw Malformed($"Expected a list pointer, found a {KindName(pointer)} pointer.");
        var size = WirePointer.ListElementSize(pointer);
        int count = WirePointer.ListCount(pointer);

        if (size == ElementSize.InlineComposite)
        {
            long bodyWords = count;
            CheckBounds(targetSegment, target, bodyWords + 1);
            ulong tag = *target;
            if (WirePointer.Kind(tag) != WirePointer.KindStruct)
                throw Malformed("The tag of a struct list is not a struct pointer.");
            int elements = WirePointer.Offset(tag);
            if (elements < 0) throw Malformed("The tag of a struct list declares a negative element count.");
            int dataWords = WirePointer.StructDataWords(tag);
            int pointerCount = WirePointer.StructPointerCount(tag);
            long step = dataWords + pointerCount;
            if (elements * step > bodyWords)
                throw Malformed($"A struct list declares {elements} elements of {step} words in only {bodyWords} words.");
            // Zero-sized elements cost nothing to store but something to visit: charge per element (as C++ does).
            Charge(Math.Max(bodyWords + 1, elements));
            _file?.ThrowIfTruncated();
            return new ListReader(this, targetSegment, (byte*)(target + 1), elements, size, step * 64, dataWords * 64, pointerCount, nesting - 1);
        }

        int bits = ElementSizes.BitsPerElement(size);
        long words = ((long)count * bits + 63) / 64;
        CheckBounds(targetSegment, target, words);
        Charge(Math.Max(words, bits == 0 ? count : 1));
        _file?.ThrowIfTruncated();
        bool isPointerList = size == ElementSize.Pointer;
        return new ListReader(this, targetSegment, (byte*)target, count, size, bits, isPointerList ? 0 : bits, isPointerList ? 1 : 0, nesting - 1);
    }

    /// <summary>The kind (<see cref="WirePointer.KindStruct"/> or <see cref="WirePointer.KindList"/>) of the object a non-null pointer reaches, far pointers followed with every check.</summary>
    internal int TargetKind(int segment, ulong* slot)
    {
        ThrowIfDisposed();
        Resolve(segment, slot, out _, out ulong pointer);
        return WirePointer.Kind(pointer);
    }

    /// <summary>The exception for bytes that break the format, as this reader reports them (the truncation instead, if the file was cut).</summary>
    internal CapnpFormatException MalformedError(string message) => Malformed(message);

    /// <summary>Reads a byte-list blob; Text must end in NUL, which is not returned.</summary>
    internal ReadOnlySpan<byte> ReadBlob(int segment, ulong* slot, bool isText, out bool isNull)
    {
        isNull = *slot == 0;
        if (isNull) return default;
        var bytes = ReadBlobBytes(segment, slot, isText);
        return isText ? bytes[..^1] : bytes;
    }

    /// <summary>A non-null Text or Data value's whole list of bytes, a Text's NUL included (checked to be there).</summary>
    internal ReadOnlySpan<byte> ReadBlobBytes(int segment, ulong* slot, bool isText)
    {
        ThrowIfDisposed();
        ulong* target = Resolve(segment, slot, out int targetSegment, out ulong pointer);
        if (WirePointer.Kind(pointer) != WirePointer.KindList || WirePointer.ListElementSize(pointer) != ElementSize.Byte)
            throw Malformed($"Expected a {(isText ? "Text" : "Data")} pointer (a list of bytes), found a {KindName(pointer)} pointer.");
        int count = WirePointer.ListCount(pointer);
        long words = ((long)count + 7) / 8;
        CheckBounds(targetSegment, target, words);
        Charge(Math.Max(1, words));
        var bytes = new ReadOnlySpan<byte>(target, count);
        if (isText && (count == 0 || bytes[count - 1] != 0)) throw Malformed("A Text value is not NUL-terminated.");
        return bytes;
    }

    internal string? ReadText(int segment, ulong* slot)
    {
        var bytes = ReadBlob(segment, slot, isText: true, out bool isNull);
        string? text = isNull ? null : Wtf8.GetString(bytes);
        _file?.ThrowIfTruncated(); // checked after the copy: the copy is what touches the pages
        return text;
    }

    internal string? ReadText(int segment, ulong* slot, RecentText recent)
    {
        var bytes = ReadBlob(segment, slot, isText: true, out bool isNull);
        string? text = isNull ? null : recent.Get(bytes);
        _file?.ThrowIfTruncated();
        return text;
    }

    internal byte[]? ReadData(int segment, ulong* slot)
    {
        var bytes = ReadBlob(segment, slot, isText: false, out bool isNull);
        byte[]? data = isNull ? null : bytes.ToArray();
        _file?.ThrowIfTruncated();
        return data;
    }

    /// <summary>
    /// Follows near, far and double-far pointers to the object. Returns its first word and the pointer
    /// that describes it (the original pointer, the landing pad or the double-far tag).
    /// </summary>
    private ulong* Resolve(int segment, ulong* slot, out int targetSegment, out ulong pointer)
    {
        ulong word = *slot;
        switch (WirePointer.Kind(word))
        {
            case WirePointer.KindFar:
            {
                int padSegment = CheckSegmentId(WirePointer.FarSegmentId(word));
                int padOffset = WirePointer.FarLandingPadOffset(word);
                bool isDouble = WirePointer.FarIsDouble(word);
                ulong* pad = _segmentStarts[padSegment] + padOffset;
                CheckBounds(padSegment, pad, isDouble ? 2 : 1);
                if (!isDouble)
                {
                    pointer = *pad;
                    int kind = WirePointer.Kind(pointer);
                    if (kind == WirePointer.KindFar) throw Malformed("A far pointer's landing pad is itself a far pointer.");
                    if (kind == WirePointer.KindOther) throw Malformed("A far pointer lands on a capability pointer, which this reader does not support.");
                    targetSegment = padSegment;
                    return pad + 1 + WirePointer.Offset(pointer);
                }
                ulong far = pad[0];
                if (WirePointer.Kind(far) != WirePointer.KindFar || WirePointer.FarIsDouble(far))
                    throw Malformed("The first word of a double-far landing pad is not a single far pointer.");
                pointer = pad[1];
                if (WirePointer.Kind(pointer) == WirePointer.KindFar)
                    throw Malformed("The tag of a double-far landing pad is a far pointer.");
                targetSegment = CheckSegmentId(WirePointer.FarSegmentId(far));
                return _segmentStarts[targetSegment] + WirePointer.FarLandingPadOffset(far);
            }
            case WirePointer.KindOther:
                throw Malformed("Capability pointers are not supported by this reader.");
            default:
                pointer = word;
                targetSegment = segment;
                return slot + 1 + WirePointer.Offset(word);
        }
    }

    private int CheckSegmentId(uint segmentId)
    {
        if (segmentId >= (uint)_segmentWords.Length)
            throw Malformed($"A far pointer names segment {segmentId}; the message has {_segmentWords.Length}.");
        return (int)segmentId;
    }

    private void CheckBounds(int segment, ulong* start, long words)
    {
        long index = start - _segmentStarts[segment];
        if (index < 0 || index + words > _segmentWords[segment])
            throw Malformed($"A pointer reaches outside segment {segment} (words {index}..{index + words} of {_segmentWords[segment]}).");
    }

    private void Charge(long words)
    {
        _traversalRemaining -= words;
        if (_traversalRemaining < 0)
        {
            var limit = new CapnpTraversalLimitException("Reading the message exceeded the traversal limit (a very large message, pointers that loop, or elements of zero size). Raise ReaderOptions.TraversalLimitInWords for trusted input.");
            _file?.ThrowIfTruncated(limit);
            throw limit;
        }
    }

    /// <summary>
    /// The exception for bytes that break the format. When the mapped file was cut meanwhile the bad bytes
    /// are the zeros of the cut, so the truncation is what is reported.
    /// </summary>
    private CapnpFormatException Malformed(string message)
    {
        var format = new CapnpFormatException(message);
        _file?.ThrowIfTruncated(format);
        return format;
    }

    private static string KindName(ulong pointer) => WirePointer.Kind(pointer) switch
    {
        WirePointer.KindStruct => "struct",
        WirePointer.KindList => "list",
        WirePointer.KindFar => "far",
        _ => "capability",
    };

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _owner?.Dispose();
    }

    private sealed class PinnedArray : IDisposable
    {
        private GCHandle _handle;

        public PinnedArray(byte[] array)
        {
            _handle = GCHandle.Alloc(array, GCHandleType.Pinned);
            Pointer = (byte*)_handle.AddrOfPinnedObject();
        }

        public byte* Pointer { get; }

        public void Dispose()
        {
            if (_handle.IsAllocated) _handle.Free();
        }
    }
}
