using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

internal sealed class Float64Field(FieldSchema field, int offset, double def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteFloat64(offset, ToFloat64(value), def);
}
