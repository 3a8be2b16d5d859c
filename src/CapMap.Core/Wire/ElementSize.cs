namespace CapMap.Wire;

/// <summary>
/// The element size field of a list pointer (C++ <c>ElementSize</c>; Capnp.Net.Runtime calls it <c>ListKind</c>).
/// The numeric values are the three bits stored on the wire.
/// </summary>
public enum ElementSize : byte
{
    /// <summary>No bits per element (List(Void)).</summary>
    Void = 0,
    /// <summary>One bit per element (List(Bool)).</summary>
    Bit = 1,
    /// <summary>One byte per element.</summary>
    Byte = 2,
    /// <summary>Two bytes per element.</summary>
    TwoBytes = 3,
    /// <summary>Four bytes per element.</summary>
    FourBytes = 4,
    /// <summary>Eight bytes per element (not pointers).</summary>
    EightBytes = 5,
    /// <summary>One pointer per element (Text, Data, lists, or structs written as pointers).</summary>
    Pointer = 6,
    /// <summary>Structs laid out back to back after a tag word (List(Struct)).</summary>
    InlineComposite = 7,
}
