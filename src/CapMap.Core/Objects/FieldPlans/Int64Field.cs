using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

internal sealed class Int64Field(FieldSchema field, int offset, long def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteInt64(offset, ToInt64(value), def);
}
