using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of an enum field: the value (a name or a number) is stored as the enumerant's UInt16 ordinal.</summary>
internal sealed class EnumField(FieldSchema field, int offset, ushort def, EnumSchema schema) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt16(offset, ToEnum(value, schema), def);
}
