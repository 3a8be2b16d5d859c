namespace CapMap.Wire;

/// <summary>
/// Encoding and decoding of the 64-bit pointer words (encoding spec, "Pointers"). Kept in one place so
/// the builder and the reader cannot disagree about a bit.
/// </summary>
internal static class WirePointer
{
    public const int KindStruct = 0;
    public const int KindList = 1;
    public const int KindFar = 2;
    public const int KindOther = 3;

    public static int Kind(ulong word) => (int)(word & 3);

    /// <summary>Signed 30-bit offset in words from the end of the pointer to the start of the target.</summary>
    public static int Offset(ulong word) => (int)(uint)word >> 2;

    public static ulong Struct(int offsetWords, int dataWords, int pointerCount) =>
        ((uint)(offsetWords << 2) & 0xFFFF_FFFCu) | ((ulong)(ushort)dataWords << 32) | ((ulong)(ushort)pointerCount << 48);

    public static ushort StructDataWords(ulong word) => (ushort)(word >> 32);
    public static ushort StructPointerCount(ulong word) => (ushort)(word >> 48);

    public static ulong List(int offsetWords, ElementSize size, int elementCountOrWords) =>
        ((uint)(offsetWords << 2) & 0xFFFF_FFFCu) | KindList | ((ulong)size << 32) | ((ulong)(uint)elementCountOrWords << 35);

    public static ElementSize ListElementSize(ulong word) => (ElementSize)((word >> 32) & 7);

    /// <summary>Element count, or for inline-composite lists the total word count excluding the tag.</summary>
    public static int ListCount(ulong word) => (int)(word >> 35);

    public static ulong Far(int segmentId, int landingPadOffsetWords, bool doubleFar) =>
        KindFar | (doubleFar ? 4UL : 0UL) | ((ulong)(uint)landingPadOffsetWords << 3) | ((ulong)(uint)segmentId << 32);

    public static bool FarIsDouble(ulong word) => (word & 4) != 0;
    public static int FarLandingPadOffset(ulong word) => (int)((word >> 3) & 0x1FFF_FFFF);
    public static uint FarSegmentId(ulong word) => (uint)(word >> 32);

    /// <summary>Same pointer with its offset field replaced (used to re-target a tag or a moved pointer).</summary>
    public static ulong WithOffset(ulong word, int offsetWords) =>
        (word & 0xFFFF_FFFF_0000_0003UL) | ((uint)(offsetWords << 2) & 0xFFFF_FFFCu);
}
