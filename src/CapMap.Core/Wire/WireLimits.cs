namespace CapMap.Wire;

/// <summary>Hard limits of the Cap'n Proto encoding and of the readers we must stay compatible with.</summary>
public static class WireLimits
{
    /// <summary>Pointer offsets and list counts are 29/30-bit fields, so a segment holds at most 2^29−1 words.</summary>
    public const int MaxSegmentWords = (1 << 29) - 1;

    /// <summary>The C++ stream reader (and so the capnp tool) rejects 512 segments or more.</summary>
    public const int MaxSegments = 511;

    /// <summary>List element counts (and the word count of inline-composite lists) are 29-bit.</summary>
    public const int MaxListElements = (1 << 29) - 1;

    /// <summary>C++ default traversal limit: 8 Mi words (64 MiB).</summary>
    public const long DefaultTraversalLimitInWords = 8L * 1024 * 1024;

    /// <summary>C++ default nesting limit.</summary>
    public const int DefaultNestingLimit = 64;

    /// <summary>Bytes in one word, the unit of every size and offset in the encoding.</summary>
    public const int BytesPerWord = 8;
}
