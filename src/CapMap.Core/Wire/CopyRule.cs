namespace CapMap.Wire;

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
