using System.Runtime.InteropServices;

namespace CapMap.Wire;

/// <summary>
/// A sealed <see cref="DetachedCopy"/>: its structs read back by index. The memory is the copy's own (freed with the
/// last reference), so nothing here refers to the source any more.
/// </summary>
public sealed unsafe class DetachedMessage
{
    private readonly ulong[] _buffer;
    private readonly long _words;
    private readonly int[] _slots;

    internal DetachedMessage(ulong[] buffer, long words, int[] slots)
    {
        _buffer = buffer;
        _words = words;
        _slots = slots;
    }

    /// <summary>Structs in the copy.</summary>
    public int Count => _slots.Length;

    /// <summary>The copy as stream-framed bytes: a message whose root is the first struct added.</summary>
    internal byte[] FramedBytes() => MemoryMarshal.AsBytes(_buffer.AsSpan(0, checked((int)_words))).ToArray();

    /// <summary>Runs <paramref name="read"/> over the struct added <paramref name="index"/>-th (a null reader for a null struct), while the copy is pinned.</summary>
    /// <remarks>The reader must not outlive the call. Thread-safe: each call reads through a reader of its own.</remarks>
    public T Read<T>(int index, Func<StructReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        fixed (ulong* frame = _buffer)
        {
            // The copy is a tree this process laid out from checked reads: one struct's subtree fits the budget of the
            // whole copy, and nests no deeper than the read it was copied from allowed (which may be deeper than the
            // default: a file written with -Depth 100).
            var options = new ReaderOptions { TraversalLimitInWords = _words * 2 + WireLimits.DefaultTraversalLimitInWords, NestingLimit = int.MaxValue };
            using var reader = MessageReader.FromMemory((byte*)frame, _words * 8, options);
            ulong* slot = frame + 1 + _slots[index];
            return read(reader.ReadStruct(0, slot, options.NestingLimit));
        }
    }
}
