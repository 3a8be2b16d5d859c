using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of a Float64 field: the value converted to Float64, stored in its data-section slot XORed with the field's default.</summary>
internal sealed class Float64Field(FieldSchema field, int offset, double def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteFloat64(offset, ToFloat64(value), def);
}
