namespace CapMap.Wire;

/// <summary>What a pointer must reach, by a schema: the checks a decode by that schema makes on it.</summary>
public enum CopyExpectation
{
    /// <summary>A struct (its own pointers checked by <see cref="CopyRule.Pointers"/>).</summary>
    Struct,

    /// <summary>A list (its elements checked by <see cref="CopyRule.Element"/>).</summary>
    List,

    /// <summary>Text: a list of bytes ending in NUL.</summary>
    Text,

    /// <summary>Data: a list of bytes.</summary>
    Data,
}
