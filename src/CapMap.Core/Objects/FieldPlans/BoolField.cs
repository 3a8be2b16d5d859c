using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

internal sealed class BoolField(FieldSchema field, int offset, bool def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteBool(offset, ToBool(value), def);
}
