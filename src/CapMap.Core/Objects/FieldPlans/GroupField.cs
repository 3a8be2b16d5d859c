using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects.FieldPlans;

internal sealed class GroupField(FieldSchema field, StructPlan group) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => group.Write(in target, value);
}
