using System.Collections.ObjectModel;
using CapMap.Wire;

namespace CapMap.Schema;

/// <summary>
/// Decodes wire data into plain .NET values using a schema (no generated code).
/// <list type="bullet">
/// <item>Void → null; Bool/Int*/UInt*/Float* → bool, sbyte, short, int, long, byte, ushort, uint, ulong, float, double;</item>
/// <item>Enum → ushort (map to a name with <see cref="EnumSchema.GetName"/>);</item>
/// <item>Text → string, Data → byte[]; Struct → <see cref="StructValue"/>; group → nested <see cref="StructValue"/>;</item>
/// <item>List → <c>IReadOnlyList&lt;object?&gt;</c> of elements decoded by the same rules (a null element of a
/// list of lists, Text or Data is null);</item>
/// <item>Interface and AnyPointer → null (not decoded).</item>
/// </list>
/// Data fields have the schema default applied (the wire stores value XOR default). A null pointer field reads as
/// the field's default value, which is null unless the schema gave an explicit Text/Data/Struct/List default.
/// </summary>
public static class DynamicValueReader
{
    /// <summary>Decodes a struct (root, list element or pointer target) with its schema.</summary>
    public static StructValue ReadStruct(StructReader reader, StructSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var entries = new List<KeyValuePair<string, object?>>(schema.NonUnionFields.Count + 1);
        ushort? discriminant = null;
        FieldSchema? active = null;
        if (schema.HasUnion)
        {
            discriminant = reader.ReadUInt16(checked((int)schema.DiscriminantOffset));
            active = schema.GetUnionField(discriminant.Value);
        }
        foreach (var f in schema.Fields)
        {
            if (f.IsInUnion && !ReferenceEquals(f, active)) continue;
            entries.Add(new KeyValuePair<string, object?>(f.Name, ReadField(reader, f)));
        }
        return new StructValue(schema, entries.ToArray(), discriminant, active);
    }

    /// <summary>Reads one field of a struct (a group field gives the group's <see cref="StructValue"/>).</summary>
    public static object? ReadField(StructReader reader, FieldSchema field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.IsGroup) return ReadStruct(reader, field.GroupType!);
        var type = field.Type;
        var def = field.DefaultValue?.Value;
        int off = checked((int)field.Offset);
        switch (type.Kind)
        {
            case TypeKind.Void: return null;
            case TypeKind.Bool: return reader.ReadBool(off, def is bool b && b);
            case TypeKind.Int8: return reader.ReadInt8(off, def is sbyte i8 ? i8 : (sbyte)0);
            case TypeKind.Int16: return reader.ReadInt16(off, def is short i16 ? i16 : (short)0);
            case TypeKind.Int32: return reader.ReadInt32(off, def is int i32 ? i32 : 0);
            case TypeKind.Int64: return reader.ReadInt64(off, def is long i64 ? i64 : 0L);
            case TypeKind.UInt8: return reader.ReadUInt8(off, def is byte u8 ? u8 : (byte)0);
            case TypeKind.UInt16: return reader.ReadUInt16(off, def is ushort u16 ? u16 : (ushort)0);
            case TypeKind.UInt32: return reader.ReadUInt32(off, def is uint u32 ? u32 : 0u);
            case TypeKind.UInt64: return reader.ReadUInt64(off, def is ulong u64 ? u64 : 0UL);
            case TypeKind.Float32: return reader.ReadFloat32(off, def is float f32 ? f32 : 0f);
            case TypeKind.Float64: return reader.ReadFloat64(off, def is double f64 ? f64 : 0d);
            case TypeKind.Enum: return reader.ReadUInt16(off, def is ushort e ? e : (ushort)0);
            case TypeKind.Text: return reader.ReadText(off) ?? def;
            case TypeKind.Data: return reader.ReadData(off) ?? (def is byte[] d ? (byte[])d.Clone() : null);
            case TypeKind.Struct:
                return reader.IsPointerNull(off) ? def : ReadStruct(reader.ReadStruct(off), type.StructType!);
            case TypeKind.List:
                return reader.IsPointerNull(off) ? def : ReadList(reader.ReadList(off), type.ElementType!);
            default:
                return null; // Interface, AnyPointer: not decoded.
        }
    }

    /// <summary>Decodes a list whose elements have the given type.</summary>
    public static IReadOnlyList<object?> ReadList(ListReader list, TypeSchema elementType)
    {
        ArgumentNullException.ThrowIfNull(elementType);
        int n = list.Count;
        var items = new object?[n];
        for (int i = 0; i < n; i++)
        {
            items[i] = elementType.Kind switch
            {
                TypeKind.Struct => ReadStruct(list.GetStruct(i), elementType.StructType!),
                TypeKind.List => list.GetList(i) is { IsNull: false } inner ? ReadList(inner, elementType.ElementType!) : null,
                _ => ReadElement(list, i, elementType.Kind),
            };
        }
        return new ReadOnlyCollection<object?>(items);
    }

    /// <summary>Element <paramref name="index"/> of a list of scalars, Text or Data (a Void, Interface or AnyPointer element, or a struct or list one, reads as null).</summary>
    public static object? ReadElement(ListReader list, int index, TypeKind kind) => kind switch
    {
        TypeKind.Bool => list.GetBool(index),
        TypeKind.Int8 => list.GetInt8(index),
        TypeKind.Int16 => list.GetInt16(index),
        TypeKind.Int32 => list.GetInt32(index),
        TypeKind.Int64 => list.GetInt64(index),
        TypeKind.UInt8 => list.GetUInt8(index),
        TypeKind.UInt16 => list.GetUInt16(index),
        TypeKind.UInt32 => list.GetUInt32(index),
        TypeKind.UInt64 => list.GetUInt64(index),
        TypeKind.Float32 => list.GetFloat32(index),
        TypeKind.Float64 => list.GetFloat64(index),
        TypeKind.Enum => list.GetUInt16(index),
        TypeKind.Text => list.GetText(index),
        TypeKind.Data => list.GetData(index),
        _ => null,
    };
}
