using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

internal sealed class UInt32Field(FieldSchema field, int offset, uint def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt32(offset, ToUInt32(value), def);
}
