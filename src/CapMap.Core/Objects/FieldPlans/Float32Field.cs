using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

internal sealed class Float32Field(FieldSchema field, int offset, float def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteFloat32(offset, ToFloat32(value), def);
}
