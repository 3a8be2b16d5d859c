using System.Collections;
using CapMap.Schema.Inference.TypeRows;

namespace CapMap.Schema.Inference;

/// <summary>Values seen so far were plain values of one type-table row (or widened to one).</summary>
internal sealed class ScalarShape : ValueShape
{
    public ScalarShape(ClrTypeInfo info) => Info = info;
    public ClrTypeInfo Info { get; }
}
