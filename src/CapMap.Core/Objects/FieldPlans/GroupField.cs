using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of a group field: the value's properties are written by the group's own plan into the same struct.</summary>
internal sealed class GroupField(FieldSchema field, StructPlan group) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => group.Write(in target, value);
}
