using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

internal sealed class Int16Field(FieldSchema field, int offset, short def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteInt16(offset, ToInt16(value), def);
}
