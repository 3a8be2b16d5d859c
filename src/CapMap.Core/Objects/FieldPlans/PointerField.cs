using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of a pointer field (Text, Data, a list or a struct): its pointer writer fills the slot.</summary>
internal sealed class PointerField(FieldSchema field, int pointerIndex, PointerWriter writer) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => writer.Write(target.Slot(pointerIndex), value);
}
