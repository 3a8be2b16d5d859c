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
}
