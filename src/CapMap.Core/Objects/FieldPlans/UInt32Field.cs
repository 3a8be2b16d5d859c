using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of a UInt32 field: the value converted to UInt32, stored in its data-section slot XORed with the field's default.</summary>
internal sealed class UInt32Field(FieldSchema field, int offset, uint def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt32(offset, ToUInt32(value), def);
}
