using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

internal sealed class EnumField(FieldSchema field, int offset, ushort def, EnumSchema schema) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt16(offset, ToEnum(value, schema), def);
}
