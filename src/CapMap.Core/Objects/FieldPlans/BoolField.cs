using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of a Bool field: the value converted to Bool, stored in its data-section slot XORed with the field's default.</summary>
internal sealed class BoolField(FieldSchema field, int offset, bool def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteBool(offset, ToBool(value), def);
}
