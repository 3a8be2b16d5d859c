namespace CapMap.Bench;

/// <summary>
/// The deterministic record generator shared (line for line) with bench/cpp/reference.c++: record i is a pure
/// function of i, so both programs write the same message and the verifier can recompute any record.
/// </summary>
internal static class Generator
{
    public const long TimestampBase = 1_700_000_000_000;

    public static ulong Mix(ulong x)
    {
        ulong z = x + 0x9e3779b97f4a7c15UL;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }

    public static int Count(ulong h) => (int)(h & 0x7fffffff);
    public static ushort Kind(long i) => (ushort)(i % 4);
    public static double Value(long i) => i * 0.25;
    public static long Timestamp(long i) => TimestampBase + i * 1000;
    /// <summary>Union: 0 none, 1 code, 2 label.</summary>
    public static int Which(long i) => (int)(i % 3);
    public static uint Code(ulong h) => (uint)(h >> 32);

    /// <summary>"rec-{i}".</summary>
    public static int Name(long i, Span<char> buffer)
    {
        "rec-".CopyTo(buffer);
        i.TryFormat(buffer[4..], out int n);
        return 4 + n;
    }

    /// <summary>"t{i % 100}".</summary>
    public static int Tag(long i, Span<char> buffer)
    {
        buffer[0] = 't';
        (i % 100).TryFormat(buffer[1..], out int n);
        return 1 + n;
    }

    /// <summary>"L{i % 1000}".</summary>
    public static int Label(long i, Span<char> buffer)
    {
        buffer[0] = 'L';
        (i % 1000).TryFormat(buffer[1..], out int n);
        return 1 + n;
    }

    /// <summary>Payload: the 8 bytes of h (little-endian) repeated, then truncated to <paramref name="length"/>; byte k of a longer payload is (h byte k%8) + k/8.</summary>
    public static void Payload(ulong h, Span<byte> payload)
    {
        for (int k = 0; k < payload.Length; k++)
            payload[k] = (byte)((byte)(h >> (8 * (k & 7))) + (k >> 3));
    }
}
