using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of an Int64 field: the value converted to Int64, stored in its data-section slot XORed with the field's default.</summary>
internal sealed class Int64Field(FieldSchema field, int offset, long def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteInt64(offset, ToInt64(value), def);
}
