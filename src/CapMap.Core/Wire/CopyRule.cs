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

/// <summary>
/// A schema's expectations for one pointer, for <see cref="DetachedCopy"/>: a copy checks while it copies what a
/// decode by the schema would check later (pointer kinds, NUL-terminated Text, element encodings), so a bad record
/// fails when it is copied, with the reader's own message, and not when a copied row is first read. A null rule
/// (an unknown field, AnyPointer, or a slot that members of a union use differently) accepts anything.
/// </summary>
public sealed class CopyRule
{
    /// <summary>A rule; <see cref="Pointers"/> and <see cref="Element"/> are filled in afterwards (schemas may be recursive).</summary>
    public CopyRule(CopyExpectation expect, ElementExpectation elements = ElementExpectation.Scalar)
    {
        Expect = expect;
        Elements = elements;
    }

    /// <summary>What the pointer must reach.</summary>
    public CopyExpectation Expect { get; }

    /// <summary>For <see cref="CopyExpectation.List"/>: what its elements must be.</summary>
    public ElementExpectation Elements { get; }

    /// <summary>For a struct: the rule for each of its pointers by index; missing or null entries accept anything.</summary>
    public CopyRule?[] Pointers { get; set; } = [];

    /// <summary>For a list: the rule for each element (a struct rule for a list of structs, a pointer's rule for a list of pointers); null accepts anything.</summary>
    public CopyRule? Element { get; set; }

    internal CopyRule? PointerAt(int index) => (uint)index < (uint)Pointers.Length ? Pointers[index] : null;
}
