namespace CapMap.Wire;

/// <summary>What a list's elements must be, by a schema.</summary>
public enum ElementExpectation
{
    /// <summary>Numbers or enums: anything but a list of bits.</summary>
    Scalar,

    /// <summary>Bools: any encoding reads.</summary>
    Bool,

    /// <summary>Structs: anything but a list of bits (each checked by the struct rule in <see cref="CopyRule.Element"/>).</summary>
    Struct,

    /// <summary>Pointers (Text, Data, lists): a list whose elements hold a pointer, each checked by <see cref="CopyRule.Element"/>.</summary>
    Pointer,
}
