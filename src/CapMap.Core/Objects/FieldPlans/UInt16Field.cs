using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

internal sealed class UInt16Field(FieldSchema field, int offset, ushort def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt16(offset, ToUInt16(value), def);
}
