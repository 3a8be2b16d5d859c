using System.Globalization;
using CapMap.Wire;

namespace CapMap.Schema.Inference;

/// <summary>
/// Writes values in the shape <see cref="DynamicValueReader"/> reads them (a struct as a name → value dictionary,
/// a list as <c>IReadOnlyList&lt;object?&gt;</c>, primitives as their .NET counterparts, an enum as its ushort
/// ordinal) with a schema. The mirror of the reader, used for schema default values and inferred records.
/// </summary>
internal static class DynamicValueWriter
{
    /// <summary>Writes <paramref name="values"/> into <paramref name="builder"/>; names missing from the dictionary keep their defaults.</summary>
    public static void WriteStruct(StructBuilder builder, StructSchema schema, IReadOnlyDictionary<string, object?> values)
    {
        if (schema.HasUnion)
        {
            var active = values is StructValue { WhichField: { } w } ? w
                : schema.UnionFields.FirstOrDefault(f => values.ContainsKey(f.Name));
            if (active is not null) builder.WriteUInt16(checked((int)schema.DiscriminantOffset), active.DiscriminantValue);
        }
        foreach (var f in schema.Fields)
            if (values.TryGetValue(f.Name, out var v))
                WriteField(builder, f, v);
    }

    private static void WriteField(StructBuilder b, FieldSchema f, object? v)
    {
        if (f.IsGroup)
        {
            if (v is IReadOnlyDictionary<string, object?> group) WriteStruct(b, f.GroupType!, group);
            return;
        }
        int off = checked((int)f.Offset);
        switch (f.Type.Kind)
        {
            case TypeKind.Struct:
                if (v is IReadOnlyDictionary<string, object?> sv)
                {
                    var st = f.Type.StructType!;
                    WriteStruct(b.InitStruct(off, st.DataWordCount, st.PointerCount), st, sv);
                }
                break;
            case TypeKind.List:
                if (v is IReadOnlyList<object?> list)
                    WriteList(new ListTarget(b, off), f.Type.ElementType!, list);
                break;
            default:
                WriteScalar(b, f.Type.Kind, off, v, f.DefaultValue?.Value);
                break;
            // Interface and AnyPointer values are not written.
        }
    }

    /// <summary>
    /// Writes a data-section value (Bool at a bit offset, a number or enum ordinal at an offset in its own size)
    /// or a Text or Data pointer; the value is converted to the field's type, <paramref name="defaultValue"/> is
    /// the field's default (null: 0). Void and the other pointer kinds write nothing.
    /// </summary>
    internal static void WriteScalar(StructBuilder b, TypeKind kind, int off, object? v, object? defaultValue)
    {
        var def = defaultValue;
        var ic = CultureInfo.InvariantCulture;
        switch (kind)
        {
            case TypeKind.Bool: b.WriteBool(off, Convert.ToBoolean(v, ic), def is true); break;
            case TypeKind.Int8: b.WriteInt8(off, Convert.ToSByte(v, ic), def is sbyte i8 ? i8 : (sbyte)0); break;
            case TypeKind.Int16: b.WriteInt16(off, Convert.ToInt16(v, ic), def is short i16 ? i16 : (short)0); break;
            case TypeKind.Int32: b.WriteInt32(off, Convert.ToInt32(v, ic), def is int i32 ? i32 : 0); break;
            case TypeKind.Int64: b.WriteInt64(off, Convert.ToInt64(v, ic), def is long i64 ? i64 : 0); break;
            case TypeKind.UInt8: b.WriteUInt8(off, Convert.ToByte(v, ic), def is byte u8 ? u8 : (byte)0); break;
            case TypeKind.UInt16: b.WriteUInt16(off, Convert.ToUInt16(v, ic), def is ushort u16 ? u16 : (ushort)0); break;
            case TypeKind.Enum: b.WriteUInt16(off, Convert.ToUInt16(v, ic), def is ushort e ? e : (ushort)0); break;
            case TypeKind.UInt32: b.WriteUInt32(off, Convert.ToUInt32(v, ic), def is uint u32 ? u32 : 0); break;
            case TypeKind.UInt64: b.WriteUInt64(off, Convert.ToUInt64(v, ic), def is ulong u64 ? u64 : 0); break;
            case TypeKind.Float32: b.WriteFloat32(off, Convert.ToSingle(v, ic), def is float f32 ? f32 : 0); break;
            case TypeKind.Float64: b.WriteFloat64(off, Convert.ToDouble(v, ic), def is double f64 ? f64 : 0); break;
            case TypeKind.Text: if (v is string s) b.SetText(off, s); break;
            case TypeKind.Data: if (v is byte[] d) b.SetData(off, d); break;
        }
    }

    /// <summary>Where a list goes: a pointer of a struct or an element of a list of lists.</summary>
    internal readonly struct ListTarget
    {
        private readonly StructBuilder _struct;
        private readonly ListBuilder _list;
        private readonly int _index;
        private readonly bool _inList;

        public ListTarget(StructBuilder owner, int pointerIndex) { _struct = owner; _index = pointerIndex; _list = default; _inList = false; }
        public ListTarget(ListBuilder owner, int index) { _list = owner; _index = index; _struct = default; _inList = true; }

        public ListBuilder Init(ElementSize size, int count) => _inList ? _list.InitList(_index, size, count) : _struct.InitList(_index, size, count);

        public ListBuilder InitStructs(int count, int dataWords, int pointers) =>
            _inList ? _list.InitStructList(_index, count, dataWords, pointers) : _struct.InitStructList(_index, count, dataWords, pointers);
    }

    /// <summary>Writes a list of <paramref name="element"/> values at <paramref name="target"/>.</summary>
    public static void WriteList(ListTarget target, TypeSchema element, IReadOnlyList<object?> items)
    {
        int n = items.Count;
        if (element.Kind == TypeKind.Struct)
        {
            var st = element.StructType!;
            var structs = target.InitStructs(n, st.DataWordCount, st.PointerCount);
            for (int i = 0; i < n; i++)
                if (items[i] is IReadOnlyDictionary<string, object?> sv)
                    WriteStruct(structs.GetStruct(i), st, sv);
            return;
        }
        var list = target.Init(ElementSizeOf(element.Kind), n);
        for (int i = 0; i < n; i++)
        {
            object? v = items[i];
            if (element.Kind == TypeKind.List)
            {
                if (v is IReadOnlyList<object?> inner) WriteList(new ListTarget(list, i), element.ElementType!, inner);
            }
            else SetElement(list, element.Kind, i, v);
        }
    }

    /// <summary>Sets element <paramref name="i"/> of a list of a data kind, Text or Data, converted to the element type.</summary>
    internal static void SetElement(ListBuilder list, TypeKind kind, int i, object? v)
    {
        var ic = CultureInfo.InvariantCulture;
        switch (kind)
        {
            case TypeKind.Bool: list.SetBool(i, Convert.ToBoolean(v, ic)); break;
            case TypeKind.Int8: list.SetInt8(i, Convert.ToSByte(v, ic)); break;
            case TypeKind.Int16: list.SetInt16(i, Convert.ToInt16(v, ic)); break;
            case TypeKind.Int32: list.SetInt32(i, Convert.ToInt32(v, ic)); break;
            case TypeKind.Int64: list.SetInt64(i, Convert.ToInt64(v, ic)); break;
            case TypeKind.UInt8: list.SetUInt8(i, Convert.ToByte(v, ic)); break;
            case TypeKind.UInt16 or TypeKind.Enum: list.SetUInt16(i, Convert.ToUInt16(v, ic)); break;
            case TypeKind.UInt32: list.SetUInt32(i, Convert.ToUInt32(v, ic)); break;
            case TypeKind.UInt64: list.SetUInt64(i, Convert.ToUInt64(v, ic)); break;
            case TypeKind.Float32: list.SetFloat32(i, Convert.ToSingle(v, ic)); break;
            case TypeKind.Float64: list.SetFloat64(i, Convert.ToDouble(v, ic)); break;
            case TypeKind.Text: if (v is string s) list.SetText(i, s); break;
            case TypeKind.Data: if (v is byte[] d) list.SetData(i, d); break;
        }
    }

    /// <summary>The list element size of a type: its layout class, with structs inline-composite.</summary>
    internal static ElementSize ElementSizeOf(TypeKind kind) => CapnpStructLayout.SizeOf(kind) switch
    {
        LayoutSize.Void => ElementSize.Void,
        LayoutSize.Pointer => kind == TypeKind.Struct ? ElementSize.InlineComposite : ElementSize.Pointer,
        LayoutSize.Bit1 => ElementSize.Bit,
        var lgBits => (ElementSize)((int)lgBits - 1), // 2^3 bits is Byte (2), 2^4 TwoBytes (3) ... 2^6 EightBytes (5)
    };
}
