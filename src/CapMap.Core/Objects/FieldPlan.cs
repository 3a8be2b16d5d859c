using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects;

/// <summary>Writes one field's value (non-null, unwrapped) into its struct.</summary>
internal abstract class FieldPlan
{
    protected FieldPlan(FieldSchema field)
    {
        Name = field.Name;
        Discriminant = field.DiscriminantValue;
        BlankIsAbsent = field.IsInUnion || field.IsGroup || field.Type.Kind is not (TypeKind.Text or TypeKind.Data or TypeKind.Void);
    }

    public string Name { get; }
    public ushort Discriminant { get; }

    /// <summary>
    /// A blank string counts as no value: an empty CSV cell in a number column, and any empty cell of a union
    /// member (else a CSV row, which has a cell for every member, would set them all).
    /// </summary>
    public bool BlankIsAbsent { get; }

    public abstract void Write(in StructBuilder target, object value);
}
