namespace CapMap.Native;

/// <summary>
/// Arithmetic and iteration over ranges of native memory and file offsets, which are <c>long</c>, while
/// .NET spans are <c>int</c>-length: a segment holds up to 2^29−1 words, so a range is visited in spans
/// of at most 1 GiB.
/// </summary>
internal static unsafe class NativeRange
{
    /// <summary>The largest span handed to a chunk action.</summary>
    public const int MaxChunkBytes = 1 << 30;

    /// <summary>What to do with one chunk of a range.</summary>
    public delegate void ChunkAction(Span<byte> chunk);

    /// <summary><paramref name="value"/> rounded up to a multiple of <paramref name="unit"/> (both non-negative, unit &gt; 0).</summary>
    public static long AlignUp(long value, long unit) => (value + unit - 1) / unit * unit;

    /// <summary>Calls <paramref name="action"/> on consecutive spans covering <paramref name="length"/> bytes from <paramref name="start"/>.</summary>
    public static void ForEachChunk(byte* start, long length, ChunkAction action)
    {
        while (length > 0)
        {
            int chunk = (int)Math.Min(length, MaxChunkBytes);
            action(new Span<byte>(start, chunk));
            start += chunk;
            length -= chunk;
        }
    }
}
