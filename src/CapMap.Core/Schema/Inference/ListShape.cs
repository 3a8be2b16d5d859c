using System.Collections;
using CapMap.Schema.Inference.TypeRows;

namespace CapMap.Schema.Inference;

/// <summary>Values seen so far were collections; the shape of their elements.</summary>
internal sealed class ListShape : ValueShape
{
    public ListShape(ClrKind collection) => Collection = collection;

    /// <summary>Array, List or Sequence.</summary>
    public ClrKind Collection { get; set; }

    /// <summary>The elements' shape; null while no element (or only nulls) was seen.</summary>
    public ValueShape? Element { get; set; }

    /// <summary>A null element was seen (a list element is no pointer of its own, so a union keeps it as a member).</summary>
    public bool HasNulls { get; set; }
}
