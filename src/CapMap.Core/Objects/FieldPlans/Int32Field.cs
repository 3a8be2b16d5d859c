using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

internal sealed class Int32Field(FieldSchema field, int offset, int def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteInt32(offset, ToInt32(value), def);
}
