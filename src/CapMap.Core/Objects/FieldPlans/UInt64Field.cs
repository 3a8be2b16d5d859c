using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of a UInt64 field: the value converted to UInt64, stored in its data-section slot XORed with the field's default.</summary>
internal sealed class UInt64Field(FieldSchema field, int offset, ulong def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt64(offset, ToUInt64(value), def);
}
