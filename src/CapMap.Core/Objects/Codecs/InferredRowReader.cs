using CapMap.Objects.Reading;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Wire;

namespace CapMap.Objects.Codecs;

/// <summary>
/// Reads the records of an <see cref="InferredSchema"/> straight from the wire into the objects they were written
/// from, by the rules of the type table (the same values as decoding the stored values field by field gives): original
/// property names, .NET types (DateTime, Guid, enums, arrays, lists, hashtables), nested objects as
/// <see cref="Row"/>s whose shape records the .NET type name; records that were plain values on their own come back
/// as those values (<see cref="ArePlainValues"/>). A set null flag reads as null, and flags are never
/// properties. Field readers and row types are made once per struct.
/// </summary>
/// <remarks>Not thread-safe: structs are compiled as they are first met.</remarks>
public sealed partial class InferredRowReader
{
    private static readonly object True = true, False = false;
    private readonly SchemaSet _set;
    private readonly Func<Row, object> _present;
    private readonly Func<string?, IReadOnlyList<KeyValuePair<string, object?>>, object> _presentProperties;
    private readonly Func<string, string?> _typeName;
    private readonly Dictionary<InferredStruct, Func<StructReader, object>> _structs = new(ReferenceEqualityComparer.Instance);
    private readonly Func<StructReader, object> _record;
    private readonly InferredStruct _recordStruct;
    private readonly ClrTypeInfo? _recordClr;
    private ObjectPlan? _recordPlan;

    /// <summary>Creates the reader for the records of <paramref name="schema"/>, whose wire form is <paramref name="set"/>.</summary>
    /// <param name="schema">The inferred schema.</param>
    /// <param name="set">Its loaded form (the one the message carries).</param>
    /// <param name="typeName">The type name an object row shows, from the .NET type name its objects had (null: none); by default none.</param>
    /// <param name="present">What becomes of each object row (e.g. wrapped to carry a type name its generated type could not); identity by default.</param>
    /// <param name="presentProperties">What an object whose properties vary becomes, from its type name and properties (see <see cref="HavePropertiesOfTheirOwn"/>); an <see cref="ObjectRecord"/> by default.</param>
    /// <exception cref="ArgumentException">The schema has no record struct.</exception>
    public InferredRowReader(InferredSchema schema, SchemaSet set, Func<string, string?>? typeName = null, Func<Row, object>? present = null,
        Func<string?, IReadOnlyList<KeyValuePair<string, object?>>, object>? presentProperties = null)
    {
        _presentProperties = presentProperties ?? DefaultPresentProperties;
        _typeName = typeName ?? (_ => null);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(set);
        _set = set;
        _present = present ?? (row => row);
        var record = schema.Record ?? throw new ArgumentException("The schema's root is not a list of records.", nameof(schema));
        _recordStruct = record;
        _recordClr = schema.Root.Fields[0].Clr?.Element;
        if (record.IsUnion)
        {
            var ofItsType = UnionReader(record, "");
            _record = r => ofItsType(r)!;
        }
        else if (schema.PlainValueField is { } plain) _record = PlainValueReader(record, plain);
        else
        {
            // Records that were dictionaries come back as dictionaries (a Hashtable, or [ordered]), as Import-Clixml gives them.
            AreDictionaries = InferredValues.IsDictionary(_recordClr);
            _record = ObjectReaderFor(record, _recordClr, "", asObject: !AreDictionaries);
        }
        ArePlainValues = schema.PlainValueField is not null;
        AreOfSeveralTypes = record.IsUnion;
        HavePropertiesOfTheirOwn = VariesByObject(record);
    }

    /// <summary>
    /// True when the records were dictionaries piped on their own (a struct with a field per key): <see cref="Read"/>
    /// gives each as a dictionary of its type (Hashtable or OrderedDictionary), so there is no row to decode later.
    /// </summary>
    public bool AreDictionaries { get; }

    /// <summary>
    /// True when the records were objects of several .NET types (the record struct is a union of one struct per type):
    /// <see cref="Read"/> gives each record as a row of its own type, so there is no one <see cref="RecordShape"/>.
    /// </summary>
    public bool AreOfSeveralTypes { get; }

    /// <summary>
    /// True when the records were plain values piped on their own (<see cref="InferredSchema.PlainValueField"/>):
    /// <see cref="Read"/> gives each value itself (a null value as null), and there is no row to decode later.
    /// </summary>
    public bool ArePlainValues { get; }

    /// <summary>Reads one record struct.</summary>
    public object Read(StructReader reader) => _record(reader);

    /// <summary>The shape of every record's row (<see cref="Read"/> gives it <see cref="Present"/>ed).</summary>
    public RowShape RecordShape => RecordPlan.Shape;

    /// <summary>The values of one record's row, in the order of <see cref="RecordShape"/>'s properties.</summary>
    public object?[] RecordValues(StructReader reader) => RecordPlan.Values(reader);

    /// <summary>The value at <paramref name="slot"/> of <see cref="RecordShape"/>'s properties, alone.</summary>
    public object? RecordValue(StructReader reader, int slot) => RecordPlan.Readers[slot](reader);

    /// <summary>What becomes of a record's row as it is output (the <c>present</c> function this reader was made with).</summary>
    public object Present(Row row) => _present(row);

    private ObjectPlan RecordPlan => _recordPlan ??= CompileObject(_recordStruct, _recordClr, "");

    private Func<StructReader, object> PlainValueReader(InferredStruct record, InferredField value)
    {
        var read = FieldReader((StructSchema)_set.GetById(record.Id), value, value.Name);
        // A set null flag (a crafted file, or a writer that kept a null) is the value null: Import outputs $null.
        return r => read(r)!;
    }

    /// <summary>An object struct's row type and the reader of its values.</summary>
    private sealed record ObjectPlan(RowShape Shape, Func<StructReader, object?[]> Values, Func<StructReader, object?>[] Readers);

    /// <param name="s">The struct.</param>
    /// <param name="clr">What its values were in .NET.</param>
    /// <param name="path">Property path, for messages.</param>
    /// <param name="asObject">Read as an object row even when the values were dictionaries (the rows of <see cref="RecordShape"/>).</param>
    private Func<StructReader, object> ObjectReaderFor(InferredStruct s, ClrTypeInfo? clr, string path, bool asObject = false)
    {
        if (!asObject && _structs.TryGetValue(s, out var done)) return done;
        // Compiled lazily through this indirection, so a struct that is reached from two places is compiled once.
        Func<StructReader, object>? compiled = null;
        Func<StructReader, object> reader = r => (compiled ??= Compile(s, clr, path, asObject))(r);
        if (!asObject) _structs[s] = reader;
        return reader;
    }

    private Func<StructReader, object> Compile(InferredStruct s, ClrTypeInfo? clr, string path, bool asObject)
    {
        if (VaryingObjectReader(s, clr, path) is { } varying) return varying;
        if (!asObject && InferredValues.IsDictionary(clr))
        {
            var wire = (StructSchema)_set.GetById(s.Id);
            var fields = s.Fields.Where(f => !f.IsFlag).ToList();
            var readers = fields.Select(f => FieldReader(wire, f, path + f.Name)).ToArray();
            var keys = fields.Select(f => f.Name).ToArray();
            var comparer = InferredValues.KeyComparerFor(keys);
            return r =>
            {
                var dictionary = InferredValues.NewDictionary(clr, comparer);
                for (int i = 0; i < keys.Length; i++) dictionary[keys[i]] = readers[i](r);
                return dictionary;
            };
        }
        var plan = asObject ? RecordPlan : CompileObject(s, clr, path);
        return r => _present(plan.Shape.New(plan.Values(r)));
    }

    private ObjectPlan CompileObject(InferredStruct s, ClrTypeInfo? clr, string path)
    {
        var wire = (StructSchema)_set.GetById(s.Id);
        var fields = s.Fields.Where(f => !f.IsFlag).ToList();
        var readers = fields.Select(f => FieldReader(wire, f, path + f.Name)).ToArray();
        var shape = RowTypes.Get(wire.ShortName, fields.Select(f => f.Name).ToList(), clr is { Kind: ClrKind.Object, Argument: { } t } ? _typeName(t) : null, out var kept);
        var keptReaders = readers.Where((_, i) => kept[i]).ToArray();
        return new ObjectPlan(shape, r =>
        {
            var values = new object?[keptReaders.Length];
            for (int i = 0; i < values.Length; i++) values[i] = keptReaders[i](r);
            return values;
        }, keptReaders);
    }

    private Func<StructReader, object?> FieldReader(StructSchema wire, InferredField field, string where)
    {
        var schemaField = Field(wire, field.Identifier);
        var read = ValueReader(field.Type, field.Clr, checked((int)schemaField.Offset), schemaField, where);
        if (field.NullFlag is not { } flag) return read;
        int flagBit = checked((int)Field(wire, flag.Identifier).Offset);
        return r => r.ReadBool(flagBit) ? null : read(r);
    }

    private static FieldSchema Field(StructSchema wire, string identifier) =>
        wire.TryGetField(identifier, out var f) ? f : throw new CapnpSchemaException($"Struct {wire.DisplayName} has no field '{identifier}'.");

    /// <summary>
    /// The reader of a union struct: the value of the member its discriminant names, read as that member's kind
    /// (a Void member, a null list element, and a discriminant this schema does not know read as null).
    /// </summary>
    private Func<StructReader, object?> UnionReader(InferredStruct union, string where)
    {
        var wire = (StructSchema)_set.GetById(union.Id);
        var members = union.Fields.Select(f => FieldReader(wire, f, where)).ToArray();
        int discriminant = checked((int)union.DiscriminantOffset);
        return r =>
        {
            int active = r.ReadUInt16(discriminant);
            return active < members.Length ? members[active](r) : null;
        };
    }

    private Func<StructReader, object?> ValueReader(InferredType type, ClrTypeInfo? clr, int offset, FieldSchema field, string where)
    {
        switch (type.Kind)
        {
            case TypeKind.Struct when type.Struct!.IsUnion:
            {
                var union = UnionReader(type.Struct, where);
                return r => r.IsPointerNull(offset) ? null : union(r.ReadStruct(offset));
            }
            case TypeKind.Struct:
            {
                var nested = ObjectReaderFor(type.Struct!, clr, where + ".");
                return r => r.IsPointerNull(offset) ? null : nested(r.ReadStruct(offset));
            }
            case TypeKind.List when MapReader(type, clr, where) is { } map:
                return r => r.IsPointerNull(offset) ? null : map(r.ReadList(offset));
            case TypeKind.List:
            {
                var elements = ElementReader(type.Element!, clr?.Element, where + "[]");
                var collection = InferredValues.CollectionMaker(clr);
                return r =>
                {
                    if (r.IsPointerNull(offset)) return null;
                    var list = r.ReadList(offset);
                    var decoded = new object?[list.Count];
                    for (int i = 0; i < decoded.Length; i++) decoded[i] = elements(list, i);
                    return collection(decoded);
                };
            }
            case TypeKind.Enum:
            {
                var names = type.Enum!.Enumerants;
                return r => InferredValues.EnumName(names, r.ReadUInt16(offset));
            }
            case TypeKind.Void:
                return _ => null;
        }
        // A value its row stores as itself (or a field with no row) reads straight from the wire; the others
        // through their row, prepared here once per field.
        var row = clr?.Row;
        bool asItself = row is null || row.StoresAsItself && row.Capnp == type.Kind;
        switch (type.Kind)
        {
            case TypeKind.Text when asItself:
            {
                var recent = new RecentText();
                return r => r.ReadText(offset, recent);
            }
            case TypeKind.Bool when asItself: return r => r.ReadBool(offset) ? True : False;
            case TypeKind.Int64 when asItself: return r => r.ReadInt64(offset);
            case TypeKind.Int32 when asItself: return r => r.ReadInt32(offset);
            case TypeKind.Float64 when asItself: return r => r.ReadFloat64(offset);
            case TypeKind.Int64 when row!.Int64Loader(clr!.Argument) is { } load: return r => load(r.ReadInt64(offset));
            case TypeKind.Text:
            {
                var recent = new RecentText();
                var scalar = InferredValues.ScalarReader(clr, where);
                return r => scalar(r.ReadText(offset, recent));
            }
            default:
            {
                var scalar = InferredValues.ScalarReader(clr, where);
                return r => scalar(DynamicValueReader.ReadField(r, field));
            }
        }
    }

    /// <summary>
    /// The reader of a map's entries (<see cref="ClrKind.Map"/>) into the dictionary they were, keys in their
    /// order; null if the list is not a map (a later key equal to an earlier one replaces its value, as the
    /// dictionary's own comparer decides).
    /// </summary>
    private Func<ListReader, object>? MapReader(InferredType listType, ClrTypeInfo? clr, string where)
    {
        if (!MapEntry.IsMap(clr) || listType.Element is not { Kind: TypeKind.Struct, Struct: { } entry } || MapEntry.FieldsOf(entry) is not { } fields)
            return null;
        var wire = (StructSchema)_set.GetById(entry.Id);
        var key = FieldReader(wire, fields.Key, where + "{}." + MapEntry.Key);
        var value = FieldReader(wire, fields.Value, where + "{}");
        return list =>
        {
            // The keys first: they decide how the dictionary compares them.
            var keys = new string[list.Count];
            for (int i = 0; i < keys.Length; i++) keys[i] = key(list.GetStruct(i)) as string ?? "";
            var dictionary = InferredValues.NewDictionary(clr, InferredValues.KeyComparerFor(keys));
            for (int i = 0; i < keys.Length; i++) dictionary[keys[i]] = value(list.GetStruct(i));
            return dictionary;
        };
    }

    private Func<ListReader, int, object?> ElementReader(InferredType element, ClrTypeInfo? clr, string where)
    {
        switch (element.Kind)
        {
            case TypeKind.Struct when element.Struct!.IsUnion:
            {
                var union = UnionReader(element.Struct, where);
                return (list, i) => union(list.GetStruct(i));
            }
            case TypeKind.Struct:
            {
                var nested = ObjectReaderFor(element.Struct!, clr, where + ".");
                return (list, i) => nested(list.GetStruct(i));
            }
            case TypeKind.List when MapReader(element, clr, where) is { } map:
                return (list, i) => list.GetList(i) is { IsNull: false } l ? map(l) : null;
            case TypeKind.List:
            {
                var inner = ElementReader(element.Element!, clr?.Element, where + "[]");
                var collection = InferredValues.CollectionMaker(clr);
                return (list, i) =>
                {
                    if (list.GetList(i) is not { IsNull: false } l) return null;
                    var decoded = new object?[l.Count];
                    for (int j = 0; j < decoded.Length; j++) decoded[j] = inner(l, j);
                    return collection(decoded);
                };
            }
            case TypeKind.Enum:
            {
                var names = element.Enum!.Enumerants;
                return (list, i) => InferredValues.EnumName(names, list.GetUInt16(i));
            }
            default:
            {
                var kind = element.Kind;
                var scalar = InferredValues.ScalarReader(clr, where);
                return (list, i) => scalar(DynamicValueReader.ReadElement(list, i, kind));
            }
        }
    }
}
