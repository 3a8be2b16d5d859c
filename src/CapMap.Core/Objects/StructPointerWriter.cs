using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects;

/// <summary>Writes a struct field or element: checks the value is an object, allocates the struct and fills it by its plan.</summary>
internal sealed class StructPointerWriter(StructPlan plan) : PointerWriter
{
    public override void Write(in PointerSlot target, object value)
    {
        plan.CheckObject(value);
        var child = target.InitStruct(plan.Schema.DataWordCount, plan.Schema.PointerCount);
        plan.WriteBody(in child, value);
    }
}
