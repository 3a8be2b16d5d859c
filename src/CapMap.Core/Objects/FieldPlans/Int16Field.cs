using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of an Int16 field: the value converted to Int16, stored in its data-section slot XORed with the field's default.</summary>
internal sealed class Int16Field(FieldSchema field, int offset, short def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteInt16(offset, ToInt16(value), def);
}
