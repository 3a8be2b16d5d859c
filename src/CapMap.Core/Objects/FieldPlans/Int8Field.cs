using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of an Int8 field: the value converted to Int8, stored in its data-section slot XORed with the field's default.</summary>
internal sealed class Int8Field(FieldSchema field, int offset, sbyte def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteInt8(offset, ToInt8(value), def);
}
