using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

internal sealed class UInt64Field(FieldSchema field, int offset, ulong def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt64(offset, ToUInt64(value), def);
}
