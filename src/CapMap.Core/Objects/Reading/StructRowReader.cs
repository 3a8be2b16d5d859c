using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects.Reading;

/// <summary>
/// Reads structs of a schema a user wrote straight into <see cref="Row"/>s: enums as their names (the ordinal when
/// the schema does not know it), Data as byte[], lists as arrays, groups and structs as nested rows, a union as
/// the one member that is set. The field readers and the row type are made once per struct (and, for a struct
/// with a union, once per member), so a record costs its values and nothing else.
/// </summary>
/// <remarks>Not thread-safe: variants are compiled as they are first met.</remarks>
public sealed class StructRowReader
{
    private readonly Dictionary<StructSchema, Compiled> _compiled = new(ReferenceEqualityComparer.Instance);

    /// <summary>Reads one struct of <paramref name="schema"/>.</summary>
    public Row Read(StructReader reader, StructSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return CompiledFor(schema).VariantFor(reader).Read(reader);
    }

    /// <summary>The shape of the row <see cref="Read"/> would make (it depends on the data section alone: a union's discriminant).</summary>
    public RowShape ShapeOf(StructReader reader, StructSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return CompiledFor(schema).VariantFor(reader).Shape;
    }

    /// <summary>The values of the row <see cref="Read"/> would make, in the order of <see cref="ShapeOf"/>'s properties.</summary>
    public object?[] ValuesOf(StructReader reader, StructSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return CompiledFor(schema).VariantFor(reader).Values(reader);
    }

    private Compiled CompiledFor(StructSchema schema)
    {
        if (!_compiled.TryGetValue(schema, out var compiled)) _compiled[schema] = compiled = new Compiled(this, schema);
        return compiled;
    }

    /// <summary>One struct's variants: the row layout for each union member (or the only one, without a union).</summary>
    private sealed class Compiled(StructRowReader owner, StructSchema schema)
    {
        private readonly Dictionary<int, Variant> _variants = new();
        private Variant? _plain;

        public Variant VariantFor(StructReader reader)
        {
            if (!schema.HasUnion) return _plain ??= Build(null);
            ushort discriminant = reader.ReadUInt16(checked((int)schema.DiscriminantOffset));
            if (!_variants.TryGetValue(discriminant, out var variant))
                _variants[discriminant] = variant = Build(schema.GetUnionField(discriminant));
            return variant;
        }

        private Variant Build(FieldSchema? active)
        {
            var fields = schema.Fields.Where(f => !f.IsInUnion || ReferenceEquals(f, active)).ToList();
            var shape = RowTypes.Get(schema.ShortName, fields.Select(f => f.Name).ToList(), null, out var kept);
            var readers = fields.Where((_, i) => kept[i]).Select(owner.FieldReader).ToArray();
            return new Variant(shape, readers);
        }
    }

    private sealed class Variant(RowShape shape, Func<StructReader, object?>[] readers)
    {
        public RowShape Shape => shape;

        public Row Read(StructReader reader) => shape.New(Values(reader));

        public object?[] Values(StructReader reader)
        {
            var values = new object?[readers.Length];
            for (int i = 0; i < values.Length; i++) values[i] = readers[i](reader);
            return values;
        }
    }

    private Func<StructReader, object?> FieldReader(FieldSchema field)
    {
        if (field.IsGroup)
        {
            var group = field.GroupType!;
            return r => Read(r, group);
        }
        var type = field.Type;
        int offset = checked((int)field.Offset);
        var fallback = field.DefaultValue?.Value;
        switch (type.Kind)
        {
            case TypeKind.Enum:
            {
                ushort def = fallback is ushort e ? e : (ushort)0;
                var names = EnumNames(type);
                return r => EnumValue(names, r.ReadUInt16(offset, def));
            }
            case TypeKind.Struct:
            {
                var structType = type.StructType!;
                return r => r.IsPointerNull(offset) ? FromDecoded(fallback, type) : Read(r.ReadStruct(offset), structType);
            }
            case TypeKind.List:
            {
                var elements = ListReader(type.ElementType!);
                return r => r.IsPointerNull(offset) ? FromDecoded(fallback, type) : elements(r.ReadList(offset));
            }
            default:
                return r => DynamicValueReader.ReadField(r, field); // scalars, Text, Data: already their final form
        }
    }

    private Func<ListReader, object?[]> ListReader(TypeSchema element)
    {
        switch (element.Kind)
        {
            case TypeKind.Struct:
            {
                var structType = element.StructType!;
                return list =>
                {
                    var items = new object?[list.Count];
                    for (int i = 0; i < items.Length; i++) items[i] = Read(list.GetStruct(i), structType);
                    return items;
                };
            }
            case TypeKind.List:
            {
                var inner = ListReader(element.ElementType!);
                return list =>
                {
                    var items = new object?[list.Count];
                    for (int i = 0; i < items.Length; i++) items[i] = list.GetList(i) is { IsNull: false } l ? inner(l) : null;
                    return items;
                };
            }
            case TypeKind.Enum:
            {
                var names = EnumNames(element);
                return list =>
                {
                    var items = new object?[list.Count];
                    for (int i = 0; i < items.Length; i++) items[i] = EnumValue(names, list.GetUInt16(i));
                    return items;
                };
            }
            default:
                return list =>
                {
                    var items = new object?[list.Count];
                    for (int i = 0; i < items.Length; i++) items[i] = DynamicValueReader.ReadElement(list, i, element.Kind);
                    return items;
                };
        }
    }

    private static string?[] EnumNames(TypeSchema type) =>
        type.EnumType is { } e ? e.Enumerants.Select(x => x.Name).ToArray() : [];

    private static object EnumValue(string?[] names, ushort ordinal) =>
        ordinal < names.Length && names[ordinal] is { } name ? name : ordinal;

    /// <summary>A schema default (already decoded by <see cref="DynamicValueReader"/>) in the form this reader gives.</summary>
    private object? FromDecoded(object? value, TypeSchema type)
    {
        switch (value)
        {
            case null:
                return null;
            case StructValue s:
            {
                var names = s.Keys.ToList();
                var shape = RowTypes.Get(s.Schema.ShortName, names, null, out var kept);
                var values = new List<object?>();
                int i = 0;
                foreach (var (name, v) in s)
                {
                    if (kept[i++]) values.Add(s.Schema.TryGetField(name, out var f) && !f.IsGroup ? FromDecoded(v, f.Type) : FromDecoded(v, type));
                }
                return shape.New(values.ToArray());
            }
            case IReadOnlyList<object?> list:
                return list.Select(item => FromDecoded(item, type.ElementType ?? type)).ToArray();
            case ushort ordinal when type.Kind == TypeKind.Enum:
                return EnumValue(EnumNames(type), ordinal);
            default:
                return value;
        }
    }
}
