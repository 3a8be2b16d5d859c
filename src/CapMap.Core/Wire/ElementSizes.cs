namespace CapMap.Wire;

/// <summary>Bits per element of the fixed-size list encodings.</summary>
internal static class ElementSizes
{
    public static int BitsPerElement(ElementSize size) => size switch
    {
        ElementSize.Void => 0,
        ElementSize.Bit => 1,
        ElementSize.Byte => 8,
        ElementSize.TwoBytes => 16,
        ElementSize.FourBytes => 32,
        ElementSize.EightBytes => 64,
        ElementSize.Pointer => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Inline-composite lists have no fixed element size."),
    };
}
