namespace CapMap.Wire;

/// <summary>
/// The element size field of a list pointer (C++ <c>ElementSize</c>; Capnp.Net.Runtime calls it <c>ListKind</c>).
/// The numeric values are the three bits stored on the wire.
/// </summary>
public enum ElementSize : byte
{
    Void = 0,
    Bit = 1,
    Byte = 2,
    TwoBytes = 3,
    FourBytes = 4,
    EightBytes = 5,
    Pointer = 6,
    InlineComposite = 7,
}

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
