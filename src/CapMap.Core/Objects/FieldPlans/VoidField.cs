using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects.FieldPlans;

internal sealed class VoidField(FieldSchema field) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) { }
}
