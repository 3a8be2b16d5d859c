using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of an Int32 field: the value converted to Int32, stored in its data-section slot XORed with the field's default.</summary>
internal sealed class Int32Field(FieldSchema field, int offset, int def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteInt32(offset, ToInt32(value), def);
}
