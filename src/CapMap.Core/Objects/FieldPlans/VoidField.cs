using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of a Void field: nothing is stored, so any value is accepted and nothing written.</summary>
internal sealed class VoidField(FieldSchema field) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) { }
}
