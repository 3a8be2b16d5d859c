using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects.FieldPlans;

/// <summary>The plan of a Float32 field: the value converted to Float32, stored in its data-section slot XORed with the field's default.</summary>
internal sealed class Float32Field(FieldSchema field, int offset, float def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteFloat32(offset, ToFloat32(value), def);
}
