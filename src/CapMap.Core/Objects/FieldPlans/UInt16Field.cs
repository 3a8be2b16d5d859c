using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of a UInt16 field: the value converted to UInt16, stored in its data-section slot XORed with the field's default.</summary>
internal sealed class UInt16Field(FieldSchema field, int offset, ushort def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt16(offset, ToUInt16(value), def);
}
