using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of a UInt8 field: the value converted to UInt8, stored in its data-section slot XORed with the field's default.</summary>
internal sealed class UInt8Field(FieldSchema field, int offset, byte def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt8(offset, ToUInt8(value), def);
}
