using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects;

// The plan of each kind of field (see FieldPlan): the scalars by their exact type, enums, groups and pointers.

internal sealed class VoidField(FieldSchema field) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) { }
}

internal sealed class BoolField(FieldSchema field, int offset, bool def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteBool(offset, ToBool(value), def);
}

internal sealed class Int8Field(FieldSchema field, int offset, sbyte def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteInt8(offset, ToInt8(value), def);
}

internal sealed class Int16Field(FieldSchema field, int offset, short def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteInt16(offset, ToInt16(value), def);
}

internal sealed class Int32Field(FieldSchema field, int offset, int def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteInt32(offset, ToInt32(value), def);
}

internal sealed class Int64Field(FieldSchema field, int offset, long def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteInt64(offset, ToInt64(value), def);
}

internal sealed class UInt8Field(FieldSchema field, int offset, byte def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt8(offset, ToUInt8(value), def);
}

internal sealed class UInt16Field(FieldSchema field, int offset, ushort def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt16(offset, ToUInt16(value), def);
}

internal sealed class UInt32Field(FieldSchema field, int offset, uint def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt32(offset, ToUInt32(value), def);
}

internal sealed class UInt64Field(FieldSchema field, int offset, ulong def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt64(offset, ToUInt64(value), def);
}

internal sealed class Float32Field(FieldSchema field, int offset, float def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteFloat32(offset, ToFloat32(value), def);
}

internal sealed class Float64Field(FieldSchema field, int offset, double def) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteFloat64(offset, ToFloat64(value), def);
}

internal sealed class EnumField(FieldSchema field, int offset, ushort def, EnumSchema schema) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => target.WriteUInt16(offset, ToEnum(value, schema), def);
}

internal sealed class GroupField(FieldSchema field, StructPlan group) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => group.Write(in target, value);
}

internal sealed class PointerField(FieldSchema field, int pointerIndex, PointerWriter writer) : FieldPlan(field)
{
    public override void Write(in StructBuilder target, object value) => writer.Write(target.Slot(pointerIndex), value);
}
