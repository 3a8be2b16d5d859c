using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects.FieldPlans;

internal sealed class PointerField(FieldSchema field, int pointerIndex, PointerWriter writer) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => writer.Write(target.Slot(pointerIndex), value);
}
