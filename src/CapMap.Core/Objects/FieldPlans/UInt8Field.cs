using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

internal sealed class UInt8Field(FieldSchema field, int offset, byte def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt8(offset, ToUInt8(value), def);
}
