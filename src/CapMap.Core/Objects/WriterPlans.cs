using System.Collections;
using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects;

/// <summary>Builds the plans of one <see cref="StructWriter"/>; struct plans are shared, so recursive schemas compile.</summary>
internal sealed class PlanCompiler
{
    private readonly ObjectWriterOptions _options;
    private readonly Dictionary<StructSchema, StructPlan> _plans = new();

    public PlanCompiler(ObjectWriterOptions options) => _options = options;

    public StructPlan GetStructPlan(StructSchema schema)
    {
        if (_plans.TryGetValue(schema, out var plan)) return plan;
        plan = new StructPlan(schema, _options);
        _plans.Add(schema, plan);
        var fields = new List<FieldPlan>(schema.Fields.Count);
        foreach (var f in schema.NonUnionFields) fields.Add(CompileField(f));
        foreach (var f in schema.UnionFields) fields.Add(CompileField(f));
        plan.Initialize(fields.ToArray(), schema.NonUnionFields.Count);
        return plan;
    }

    private FieldPlan CompileField(FieldSchema field)
    {
        if (field.IsGroup) return new GroupField(field, GetStructPlan(field.GroupType!));
        var type = field.Type;
        int offset = checked((int)field.Offset);
        object? def = field.DefaultValue?.Value;
        return type.Kind switch
        {
            TypeKind.Void => new VoidField(field),
            TypeKind.Bool => new BoolField(field, offset, def is true),
            TypeKind.Int8 => new Int8Field(field, offset, def is sbyte i8 ? i8 : (sbyte)0),
            TypeKind.Int16 => new Int16Field(field, offset, def is short i16 ? i16 : (short)0),
            TypeKind.Int32 => new Int32Field(field, offset, def is int i32 ? i32 : 0),
            TypeKind.Int64 => new Int64Field(field, offset, def is long i64 ? i64 : 0L),
            TypeKind.UInt8 => new UInt8Field(field, offset, def is byte u8 ? u8 : (byte)0),
            TypeKind.UInt16 => new UInt16Field(field, offset, def is ushort u16 ? u16 : (ushort)0),
            TypeKind.UInt32 => new UInt32Field(field, offset, def is uint u32 ? u32 : 0u),
            TypeKind.UInt64 => new UInt64Field(field, offset, def is ulong u64 ? u64 : 0UL),
            TypeKind.Float32 => new Float32Field(field, offset, def is float f32 ? f32 : 0f),
            TypeKind.Float64 => new Float64Field(field, offset, def is double f64 ? f64 : 0d),
            TypeKind.Enum => new EnumField(field, offset, def is ushort e ? e : (ushort)0, type.EnumType!),
            _ => new PointerField(field, offset, CompilePointer(type)),
        };
    }

    private PointerWriter CompilePointer(TypeSchema type) => type.Kind switch
    {
        TypeKind.Text => TextWriter.Instance,
        TypeKind.Data => new DataWriter(_options.Unwrap),
        TypeKind.Struct => new StructPointerWriter(GetStructPlan(type.StructType
            ?? throw new InvalidOperationException($"The struct type {type} is not bound to its schema node."))),
        TypeKind.List => CompileList(type),
        _ => new UnsupportedWriter(type),
    };

    private PointerWriter CompileList(TypeSchema listType)
    {
        var element = listType.ElementType!;
        return element.Kind switch
        {
            TypeKind.Struct => new StructListWriter(listType, GetStructPlan(element.StructType
                ?? throw new InvalidOperationException($"The struct type {element} is not bound to its schema node.")), _options.Unwrap),
            TypeKind.Text or TypeKind.Data or TypeKind.List => new PointerListWriter(listType, CompilePointer(element), _options.Unwrap),
            TypeKind.AnyPointer or TypeKind.Interface => new UnsupportedWriter(listType),
            _ => new PrimitiveListWriter(listType, _options.Unwrap),
        };
    }
}

/// <summary>The compiled plan of one struct or group: its fields in order, then its union members.</summary>
internal sealed class StructPlan
{
    private readonly IPropertyAccessor _accessor;
    private readonly bool _defaultAccessor;
    private readonly Func<object?, object?>? _unwrap;
    private readonly bool _strict;
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _discriminantOffset;
    private FieldPlan[] _fields = [];
    private int _nonUnionCount;
    private TypeBinding? _binding;

    public StructPlan(StructSchema schema, ObjectWriterOptions options)
    {
        Schema = schema;
        _accessor = options.Accessor;
        _defaultAccessor = ReferenceEquals(options.Accessor, DefaultPropertyAccessor.Instance);
        _unwrap = options.Unwrap;
        _strict = options.Strict;
        _discriminantOffset = schema.HasUnion ? checked((int)schema.DiscriminantOffset) : 0;
        foreach (var f in schema.Fields) _known.Add(f.Name);
    }

    public StructSchema Schema { get; }

    public void Initialize(FieldPlan[] fields, int nonUnionCount)
    {
        _fields = fields;
        _nonUnionCount = nonUnionCount;
    }

    /// <summary>Getters of a reflected type for every field (null where the type has no such property), cached for the last type seen.</summary>
    private sealed class TypeBinding(Type type, Func<object, object?>?[] getters)
    {
        public readonly Type Type = type;
        public readonly Func<object, object?>?[] Getters = getters;
    }

    /// <summary>Rejects values that cannot hold the struct's fields: strings, numbers and other scalars, and plain lists.</summary>
    public void CheckObject(object value)
    {
        if (value is IConvertible
            || (value is IEnumerable && value is not (IDictionary or IReadOnlyDictionary<string, object?> or IDictionary<string, object?>)))
        {
            string what = Schema.IsGroup ? $"group {Schema.ShortName}" : $"struct {Schema.ShortName}";
            throw Fail(value, $"expected an object with properties (hashtable, dictionary or object) for {what}, got {CapnpValueException.Show(value)}");
        }
    }

    public void Write(in StructBuilder target, object source)
    {
        CheckObject(source);
        WriteBody(in target, source);
    }

    /// <summary>Writes the fields; <paramref name="source"/> has passed <see cref="CheckObject"/>.</summary>
    public void WriteBody(in StructBuilder target, object source)
    {
        if (_strict) CheckNames(source);
        Func<object, object?>?[]? getters = null;
        if (_defaultAccessor && DefaultPropertyAccessor.UsesReflection(source)) getters = Bind(source.GetType());

        var fields = _fields;
        int nonUnion = _nonUnionCount;
        for (int i = 0; i < nonUnion; i++)
        {
            var field = fields[i];
            object? value = Get(source, field, getters, i);
            if (value is null) continue;
            try
            {
                field.Write(in target, value);
            }
            catch (CapnpValueException ex)
            {
                throw ex.WithParent(field.Name);
            }
        }
        if (fields.Length == nonUnion) return;

        FieldPlan? chosen = null;
        object? chosenValue = null;
        for (int i = nonUnion; i < fields.Length; i++)
        {
            var field = fields[i];
            object? value = Get(source, field, getters, i);
            if (value is null) continue;
            if (chosen is not null)
                throw new CapnpValueException(field.Name, value,
                    $"'{chosen.Name}' and '{field.Name}' are both set, but they are members of the same union; set only one");
            chosen = field;
            chosenValue = value;
        }
        if (chosen is null) return;
        target.WriteUInt16(_discriminantOffset, chosen.Discriminant);
        try
        {
            chosen.Write(in target, chosenValue!);
        }
        catch (CapnpValueException ex)
        {
            throw ex.WithParent(chosen.Name);
        }
    }

    private object? Get(object source, FieldPlan field, Func<object, object?>?[]? getters, int index)
    {
        object? value;
        if (getters is not null)
        {
            var getter = getters[index];
            if (getter is null) return null;
            value = getter(source);
        }
        else if (!_accessor.TryGetValue(source, field.Name, out value))
        {
            return null;
        }
        if (_unwrap is not null) value = _unwrap(value);
        if (value is null) return null;
        if (field.BlankIsAbsent && value is string s && string.IsNullOrWhiteSpace(s)) return null;
        return value;
    }

    private Func<object, object?>?[] Bind(Type type)
    {
        var binding = _binding;
        if (binding is not null && binding.Type == type) return binding.Getters;
        var getters = new Func<object, object?>?[_fields.Length];
        for (int i = 0; i < getters.Length; i++) getters[i] = DefaultPropertyAccessor.FindGetter(type, _fields[i].Name);
        _binding = new TypeBinding(type, getters);
        return getters;
    }

    private void CheckNames(object source)
    {
        List<string>? unknown = null;
        foreach (var name in _accessor.GetNames(source))
            if (!_known.Contains(name)) (unknown ??= new()).Add(name);
        if (unknown is null) return;
        string what = Schema.IsGroup ? $"group {Schema.ShortName}" : Schema.ShortName;
        throw new CapnpValueException("", source,
            $"{(unknown.Count == 1 ? "property" : "properties")} {string.Join(", ", unknown.Select(n => $"'{n}'"))} " +
            $"{(unknown.Count == 1 ? "is" : "are")} not field(s) of {what} (strict mode); known fields: {string.Join(", ", Schema.Fields.Select(f => f.Name))}");
    }
}

// ---- Fields -------------------------------------------------------------------------------------------------

/// <summary>Writes one field's value (non-null, unwrapped) into its struct.</summary>
internal abstract class FieldPlan
{
    protected FieldPlan(FieldSchema field)
    {
        Name = field.Name;
        Discriminant = field.DiscriminantValue;
        BlankIsAbsent = field.IsGroup || field.Type.Kind is not (TypeKind.Text or TypeKind.Data or TypeKind.Void);
    }

    public string Name { get; }
    public ushort Discriminant { get; }

    /// <summary>A blank string counts as no value (an empty CSV cell in a number column).</summary>
    public bool BlankIsAbsent { get; }

    public abstract void Write(in StructBuilder target, object value);
}

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
    public override void Write(in StructBuilder target, object value) => writer.Write(new PointerTarget(in target, pointerIndex), value);
}

// ---- Pointers -----------------------------------------------------------------------------------------------

/// <summary>A pointer being written: a struct's pointer field or an element of a pointer list.</summary>
internal readonly struct PointerTarget
{
    private readonly StructBuilder _struct;
    private readonly ListBuilder _list;
    private readonly int _index;
    private readonly bool _inList;

    public PointerTarget(in StructBuilder target, int pointerIndex)
    {
        _struct = target;
        _list = default;
        _index = pointerIndex;
        _inList = false;
    }

    public PointerTarget(in ListBuilder target, int index)
    {
        _struct = default;
        _list = target;
        _index = index;
        _inList = true;
    }

    public void SetText(string text)
    {
        if (_inList) _list.SetText(_index, text.AsSpan());
        else _struct.SetText(_index, text.AsSpan());
    }

    public void SetData(ReadOnlySpan<byte> data)
    {
        if (_inList) _list.SetData(_index, data);
        else _struct.SetData(_index, data);
    }

    public StructBuilder InitStruct(int dataWords, int pointerCount) =>
        _inList ? _list.InitStruct(_index, dataWords, pointerCount) : _struct.InitStruct(_index, dataWords, pointerCount);

    public ListBuilder InitList(ElementSize size, int count) =>
        _inList ? _list.InitList(_index, size, count) : _struct.InitList(_index, size, count);

    public ListBuilder InitStructList(int count, int dataWords, int pointerCount) =>
        _inList ? _list.InitStructList(_index, count, dataWords, pointerCount) : _struct.InitStructList(_index, count, dataWords, pointerCount);
}

/// <summary>Writes a non-null value of a pointer type (Text, Data, struct, list).</summary>
internal abstract class PointerWriter
{
    public abstract void Write(in PointerTarget target, object value);
}

internal sealed class TextWriter : PointerWriter
{
    public static readonly TextWriter Instance = new();

    public override void Write(in PointerTarget target, object value) => target.SetText(value as string ?? ToText(value));
}

internal sealed class DataWriter(Func<object?, object?>? unwrap) : PointerWriter
{
    public override void Write(in PointerTarget target, object value)
    {
        if (value is byte[] bytes) target.SetData(bytes);
        else target.SetData(ToData(value, unwrap).Span);
    }
}

internal sealed class StructPointerWriter(StructPlan plan) : PointerWriter
{
    public override void Write(in PointerTarget target, object value)
    {
        plan.CheckObject(value);
        var child = target.InitStruct(plan.Schema.DataWordCount, plan.Schema.PointerCount);
        plan.WriteBody(in child, value);
    }
}

internal sealed class UnsupportedWriter(TypeSchema type) : PointerWriter
{
    public override void Write(in PointerTarget target, object value) =>
        throw Fail(value, $"{type} fields cannot be set: not supported (CapMap writes no AnyPointer or capability values)");
}

/// <summary>Shared list plumbing: accepts any IEnumerable except strings and dictionaries, and indexes it.</summary>
internal abstract class ListWriterBase(TypeSchema listType, Func<object?, object?>? unwrap) : PointerWriter
{
    protected readonly Func<object?, object?>? Unwrap = unwrap;
    protected readonly TypeSchema ListType = listType;

    protected IList AsList(object value)
    {
        if (value is string || value is IDictionary || value is IReadOnlyDictionary<string, object?> || value is IDictionary<string, object?>
            || value is not IEnumerable enumerable)
            throw Fail(value, $"expected a list (an array or other collection) for {ListType}, got {CapnpValueException.Show(value)}");
        if (value is IList list) return list;
        var items = new List<object?>();
        foreach (var item in enumerable) items.Add(item);
        return items;
    }

    protected object? Element(IList list, int index)
    {
        var item = list[index];
        return Unwrap is null ? item : Unwrap(item);
    }

    protected static CapnpValueException AtIndex(CapnpValueException ex, int index) => ex.WithParent($"[{index}]");
}

/// <summary>List(Void), List(Bool), List of numbers, List(Enum).</summary>
internal sealed class PrimitiveListWriter : ListWriterBase
{
    private readonly TypeKind _kind;
    private readonly EnumSchema? _enum;
    private readonly ElementSize _size;

    public PrimitiveListWriter(TypeSchema listType, Func<object?, object?>? unwrap) : base(listType, unwrap)
    {
        var element = listType.ElementType!;
        _kind = element.Kind;
        _enum = element.EnumType;
        _size = _kind switch
        {
            TypeKind.Void => ElementSize.Void,
            TypeKind.Bool => ElementSize.Bit,
            TypeKind.Int8 or TypeKind.UInt8 => ElementSize.Byte,
            TypeKind.Int16 or TypeKind.UInt16 or TypeKind.Enum => ElementSize.TwoBytes,
            TypeKind.Int32 or TypeKind.UInt32 or TypeKind.Float32 => ElementSize.FourBytes,
            TypeKind.Int64 or TypeKind.UInt64 or TypeKind.Float64 => ElementSize.EightBytes,
            _ => throw new ArgumentException($"{element} is not a primitive list element type.", nameof(listType)),
        };
    }

    public override void Write(in PointerTarget target, object value)
    {
        if (TryWriteTypedArray(in target, value)) return;
        var list = AsList(value);
        int count = list.Count;
        var builder = target.InitList(_size, count);
        if (_kind == TypeKind.Void) return;
        for (int i = 0; i < count; i++)
        {
            object? item = Element(list, i);
            try
            {
                if (item is null) throw Fail(null, $"null is not a valid element of {ListType}");
                switch (_kind)
                {
                    case TypeKind.Bool: builder.SetBool(i, ToBool(item)); break;
                    case TypeKind.Int8: builder.SetInt8(i, ToInt8(item)); break;
                    case TypeKind.Int16: builder.SetInt16(i, ToInt16(item)); break;
                    case TypeKind.Int32: builder.SetInt32(i, ToInt32(item)); break;
                    case TypeKind.Int64: builder.SetInt64(i, ToInt64(item)); break;
                    case TypeKind.UInt8: builder.SetUInt8(i, ToUInt8(item)); break;
                    case TypeKind.UInt16: builder.SetUInt16(i, ToUInt16(item)); break;
                    case TypeKind.UInt32: builder.SetUInt32(i, ToUInt32(item)); break;
                    case TypeKind.UInt64: builder.SetUInt64(i, ToUInt64(item)); break;
                    case TypeKind.Float32: builder.SetFloat32(i, ToFloat32(item)); break;
                    case TypeKind.Float64: builder.SetFloat64(i, ToFloat64(item)); break;
                    case TypeKind.Enum: builder.SetUInt16(i, ToEnum(item, _enum!)); break;
                }
            }
            catch (CapnpValueException ex)
            {
                throw AtIndex(ex, i);
            }
        }
    }

    /// <summary>An array whose .NET element type is exactly the list's: copied without boxing.</summary>
    private bool TryWriteTypedArray(in PointerTarget target, object value)
    {
        switch (_kind)
        {
            case TypeKind.Bool when value is bool[] a:
            {
                var b = target.InitList(_size, a.Length);
                for (int i = 0; i < a.Length; i++) if (a[i]) b.SetBool(i, true);
                return true;
            }
            case TypeKind.Int8 when value is sbyte[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetInt8(i, a[i]); return true; }
            case TypeKind.Int16 when value is short[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetInt16(i, a[i]); return true; }
            case TypeKind.Int32 when value is int[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetInt32(i, a[i]); return true; }
            case TypeKind.Int64 when value is long[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetInt64(i, a[i]); return true; }
            case TypeKind.UInt8 when value is byte[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetUInt8(i, a[i]); return true; }
            case TypeKind.UInt16 when value is ushort[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetUInt16(i, a[i]); return true; }
            case TypeKind.UInt32 when value is uint[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetUInt32(i, a[i]); return true; }
            case TypeKind.UInt64 when value is ulong[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetUInt64(i, a[i]); return true; }
            case TypeKind.Float32 when value is float[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetFloat32(i, a[i]); return true; }
            case TypeKind.Float64 when value is double[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetFloat64(i, a[i]); return true; }
            default: return false;
        }
    }
}

/// <summary>List(Text), List(Data), List(List(…)): a pointer list whose elements another writer fills.</summary>
internal sealed class PointerListWriter(TypeSchema listType, PointerWriter element, Func<object?, object?>? unwrap) : ListWriterBase(listType, unwrap)
{
    public override void Write(in PointerTarget target, object value)
    {
        if (value is string[] strings && element is TextWriter)
        {
            var texts = target.InitList(ElementSize.Pointer, strings.Length);
            for (int i = 0; i < strings.Length; i++)
                if (strings[i] is { } s) texts.SetText(i, s.AsSpan());
            return;
        }
        var list = AsList(value);
        int count = list.Count;
        var builder = target.InitList(ElementSize.Pointer, count);
        for (int i = 0; i < count; i++)
        {
            object? item = Element(list, i);
            if (item is null) continue; // a null pointer element
            try
            {
                element.Write(new PointerTarget(in builder, i), item);
            }
            catch (CapnpValueException ex)
            {
                throw AtIndex(ex, i);
            }
        }
    }
}

/// <summary>List(Struct): an inline-composite list with the element struct's sizes.</summary>
internal sealed class StructListWriter(TypeSchema listType, StructPlan plan, Func<object?, object?>? unwrap) : ListWriterBase(listType, unwrap)
{
    public override void Write(in PointerTarget target, object value)
    {
        var list = AsList(value);
        int count = list.Count;
        var builder = target.InitStructList(count, plan.Schema.DataWordCount, plan.Schema.PointerCount);
        for (int i = 0; i < count; i++)
        {
            object? item = Element(list, i);
            if (item is null) continue; // an all-default element
            try
            {
                plan.Write(builder.GetStruct(i), item);
            }
            catch (CapnpValueException ex)
            {
                throw AtIndex(ex, i);
            }
        }
    }
}
