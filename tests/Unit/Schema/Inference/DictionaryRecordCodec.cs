using System.Collections;
using CapMap.Objects.Codecs;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Wire;

namespace CapMap.Tests.Schema.Inference;

/// <summary>
/// The reference form of an inferred schema's records, for tests: <see cref="Encode"/> turns an object into the record's
/// stored values by Cap'n Proto field name (the form <see cref="DynamicValueWriter"/> writes and
/// <see cref="DynamicValueReader"/> reads: a struct as a dictionary, a list as <c>IReadOnlyList&lt;object?&gt;</c>,
/// scalars as the exact primitive), and <see cref="Decode"/>/<see cref="Read"/> turn stored values back into an
/// <see cref="ObjectRecord"/> with the original names and .NET types. CapMap itself writes records straight into the
/// struct (<see cref="InferredRecordCodec.Write"/>) and reads them with the row readers; the tests check both against
/// this slower, plainer path. Like CapMap's writer, it refuses a record that does not fit the schema (a property
/// the schema lacks, a value where the schema has Void). Not thread-safe (it remembers shapes).
/// </summary>
internal sealed class DictionaryRecordCodec
{
    private readonly ObjectAdapter _adapter;
    private readonly ShapeObserver _describer;
    private readonly Dictionary<InferredStruct, Dictionary<string, InferredField>> _fieldsByName = new(ReferenceEqualityComparer.Instance);
    private readonly StructSchema _recordSchema;
    private readonly Dictionary<InferredStruct, (object Key, Dictionary<string, object?> Stored)> _lastNested = new(ReferenceEqualityComparer.Instance);

    public DictionaryRecordCodec(InferredSchema schema, ObjectAdapter? adapter = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        Record = schema.Record ?? throw new ArgumentException("The schema's root is not a list of records.", nameof(schema));
        _adapter = adapter ?? ObjectAdapter.Default;
        _describer = new ShapeObserver(_adapter, int.MaxValue);
        SchemaSet = schema.ToSchemaSet();
        _recordSchema = (StructSchema)SchemaSet.GetById(Record.Id);
    }

    public InferredSchema Schema { get; }

    public InferredStruct Record { get; }

    public SchemaSet SchemaSet { get; }

    /// <summary>Reads a record struct back as the object it was written from.</summary>
    public ObjectRecord Read(StructReader source) => Decode(DynamicValueReader.ReadStruct(source, _recordSchema));

    /// <summary>The record's stored values by Cap'n Proto field name; a value without properties is the record's <c>Value</c>.</summary>
    /// <exception cref="InferredValueException">A value does not fit its field's type, or the schema lacks a property.</exception>
    public IReadOnlyDictionary<string, object?> Encode(object? record)
    {
        var value = _adapter.Unwrap(record);
        var described = _describer.Describe(value);
        if (Record.IsUnion)
        {
            // Records of several types: the member named after this record's type holds its properties.
            var member = Record.Fields.FirstOrDefault(f => described is { Kind: ClrKind.Object } d && f.Clr?.Argument == d.Argument)
                ?? throw new InferredValueException($"A record of type {described?.Argument} is of none of the record types.");
            return new Dictionary<string, object?> { [member.Identifier] = EncodeStruct(member.Type.Struct!, described!.Value.Properties, "") };
        }
        var properties = described?.Properties ?? [new("Value", value)];
        return EncodeStruct(Record, properties, "");
    }

    /// <summary>The object a record's stored values (by Cap'n Proto field name) stand for.</summary>
    /// <exception cref="InferredValueException">A stored value does not read back as its recorded .NET type.</exception>
    public ObjectRecord Decode(IReadOnlyDictionary<string, object?> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var recordClr = Schema.Root.Fields[0].Clr?.Element;
        if (Record.IsUnion)
        {
            var member = Record.Fields.Single(f => stored.ContainsKey(f.Identifier));
            var fields = (IReadOnlyDictionary<string, object?>)stored[member.Identifier]!;
            return new ObjectRecord(member.Clr?.Argument, DecodeFields(member.Type.Struct!, fields, ""));
        }
        return new ObjectRecord(recordClr?.Argument, DecodeFields(Record, stored, ""));
    }

    private Dictionary<string, object?> EncodeStruct(InferredStruct s, IEnumerable<KeyValuePair<string, object?>> properties, string path)
    {
        var byName = FieldsByName(s);
        var result = new Dictionary<string, object?>(s.Fields.Count, StringComparer.Ordinal);
        foreach (var (name, v) in properties)
        {
            if (!byName.TryGetValue(name, out var field))
                throw new InferredValueException($"{path}{name}: the schema has no such property (it was not in the records it was inferred from).");
            result[field.Identifier] = EncodeValue(field.Type, field.Clr, v, path + name);
        }
        // A null or missing value leaves its field 0; only the flag tells that apart from a real 0.
        foreach (var f in s.Fields)
        {
            if (f.NullFlag is { } flag && (!result.TryGetValue(f.Identifier, out var stored) || stored is null))
                result[flag.Identifier] = true;
            // A property the object did not have at all: its absence flag (a null one was given, so it has a value).
            if (f.AbsentFlag is { } absent && !result.ContainsKey(f.Identifier))
                result[absent.Identifier] = true;
        }
        return result;
    }

    private Dictionary<string, InferredField> FieldsByName(InferredStruct s)
    {
        if (!_fieldsByName.TryGetValue(s, out var byName))
        {
            byName = new Dictionary<string, InferredField>(StringComparer.Ordinal);
            foreach (var f in s.Fields) byName.TryAdd(f.Name, f);
            _fieldsByName[s] = byName;
        }
        return byName;
    }

    private object? EncodeValue(InferredType type, ClrTypeInfo? clr, object? raw, string where)
    {
        var value = _adapter.Unwrap(raw);
        if (value is null) return null;
        switch (type.Kind)
        {
            case TypeKind.Struct when type.Struct!.IsUnion:
                return EncodeUnion(type.Struct, value, where);
            case TypeKind.Struct:
            {
                // Files in a row share their directory (a new DirectoryInfo per FileInfo.Directory call, one
                // path) and PowerShell's drive and provider objects: their stored form is made once. Any other
                // object may have changed since the last record, so it is read again.
                object? key = _adapter.ReusableKey(value);
                if (key is not null && _lastNested.TryGetValue(type.Struct!, out var last) && last.Key.Equals(key))
                    return last.Stored;
                if (_describer.Describe(value, nested: true) is not { } described)
                    throw new InferredValueException($"{where}: a {value.GetType().Name} ('{ClrTypeTable.ToText(value)}') has no properties for struct {type}.");
                var stored = EncodeStruct(type.Struct!, described.Properties, where + ".");
                if (key is not null) _lastNested[type.Struct!] = (key, stored);
                return stored;
            }
            case TypeKind.List when MapEntry.IsMap(clr) && type.Element!.Struct is { } entry:
            {
                // A map: each entry a struct of its key (as invariant text) and value, in the dictionary's order.
                var entries = (value is IDictionary ? _adapter.GetProperties(value, nested: true) : _describer.Describe(value, nested: true)?.Properties)
                    ?? throw new InferredValueException($"{where}: a {value.GetType().Name} ('{ClrTypeTable.ToText(value)}') is not a dictionary for a map of {type.Element}.");
                return entries.Select(e => (object?)EncodeStruct(entry, [new(MapEntry.Key, e.Key), new(MapEntry.Value, e.Value)], where + "{}.")).ToList();
            }
            case TypeKind.List:
            {
                var items = new List<object?>();
                // A null element of a list of unions is the union's Void member.
                var nullMember = type.Element!.Struct?.Fields.FirstOrDefault(f => f.Type.Kind == TypeKind.Void);
                if (value is IEnumerable e && value is not (string or IDictionary or byte[]))
                    foreach (var item in e)
                        items.Add(nullMember is not null && _adapter.Unwrap(item) is null
                            ? new Dictionary<string, object?> { [nullMember.Identifier] = null }
                            : EncodeValue(type.Element!, clr?.Element, item, where + "[]"));
                else
                    items.Add(EncodeValue(type.Element!, clr?.Element, value, where + "[]")); // a single value is a one-element list
                return items;
            }
            case TypeKind.Enum:
            {
                string name = ClrTypeTable.ToText(value);
                int ordinal = IndexOf(type.Enum!.Enumerants, name);
                return ordinal >= 0 ? (ushort)ordinal : ClrTypeTable.Encode(value, TypeKind.Enum, clr, where);
            }
            case TypeKind.Void:
                throw new InferredValueException($"{where}: a value ({value.GetType().Name}) where the records had only nulls so far");
            default:
                return ClrTypeTable.Encode(value, type.Kind, clr, where);
        }
    }

    /// <summary>A value of a union: the member whose recorded .NET info is of the value's kind holds it (objects beyond the depth: text).</summary>
    private Dictionary<string, object?> EncodeUnion(InferredStruct union, object value, string where)
    {
        string kind = ClrTypeTable.Classify(value) is { } scalar ? (scalar.Row!.Number is { } n ? n.Class.ToString() : scalar.ToString())
            : value is IDictionary ? "Map" : value is IEnumerable ? "List" : _describer.Describe(value, nested: true) is null ? "String" : "Object";
        var member = union.Fields.FirstOrDefault(f => MemberKind(f.Clr) == kind)
            ?? (kind is "Map" or "List" or "Object" ? union.Fields.FirstOrDefault(f => MemberKind(f.Clr) == "String") : null)
            ?? throw new InferredValueException($"{where}: a {value.GetType().Name} ('{ClrTypeTable.ToText(value)}') is of none of the kinds {string.Join(", ", union.Fields.Select(f => MemberKind(f.Clr)).OfType<string>())}.");
        return new Dictionary<string, object?> { [member.Identifier] = EncodeValue(member.Type, member.Clr, value, where) };
    }

    private static string? MemberKind(ClrTypeInfo? clr) => clr switch
    {
        { Kind: ClrKind.Scalar } => clr.Row!.Number is { } n ? n.Class.ToString() : clr.ToString(),
        { Kind: ClrKind.Array or ClrKind.List or ClrKind.Sequence } => "List",
        { Kind: ClrKind.Map } => "Map",
        { Kind: ClrKind.Object or ClrKind.Dictionary } => "Object",
        _ => null,
    };

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
                return i;
        return -1;
    }

    private IEnumerable<KeyValuePair<string, object?>> DecodeFields(InferredStruct s, IReadOnlyDictionary<string, object?> stored, string path)
    {
        foreach (var f in s.Fields)
        {
            if (f.IsFlag) continue;
            if (f.AbsentFlag is { } absent && stored.TryGetValue(absent.Identifier, out var isAbsent) && isAbsent is true) continue;
            stored.TryGetValue(f.Identifier, out var v);
            if (f.NullFlag is { } flag && stored.TryGetValue(flag.Identifier, out var isNull) && isNull is true)
                v = null;
            yield return new(f.Name, DecodeValue(f.Type, f.Clr, v, path + f.Name));
        }
    }

    private object? DecodeValue(InferredType type, ClrTypeInfo? clr, object? stored, string where)
    {
        if (stored is null) return null;
        switch (type.Kind)
        {
            case TypeKind.Struct when type.Struct!.IsUnion:
            {
                // A union's stored values hold its active member only: that member's value, read as its kind.
                var members = (IReadOnlyDictionary<string, object?>)stored;
                var active = type.Struct.Fields.Single(f => members.ContainsKey(f.Identifier));
                return active.Type.Kind == TypeKind.Void ? null : DecodeValue(active.Type, active.Clr, members[active.Identifier], where);
            }
            case TypeKind.Struct:
            {
                var fields = DecodeFields(type.Struct!, (IReadOnlyDictionary<string, object?>)stored, where + ".");
                if (!InferredValues.IsDictionary(clr)) return new ObjectRecord(clr?.Argument, fields);
                var decoded = fields.ToList();
                var dictionary = InferredValues.NewDictionary(clr, InferredValues.KeyComparerFor(decoded.Select(f => f.Key)));
                foreach (var (k, v) in decoded) dictionary[k] = v;
                return dictionary;
            }
            case TypeKind.List when MapEntry.IsMap(clr) && type.Element!.Struct is { } entry && MapEntry.FieldsOf(entry) is not null:
            {
                var entries = new List<(string Key, object? Value)>();
                foreach (var storedEntry in (IReadOnlyList<object?>)stored)
                {
                    // A map's entries are structs, never null: a null here is a decoding bug, and the cast says so.
                    var e = (IReadOnlyDictionary<string, object?>)storedEntry!;
                    var fields = DecodeFields(entry, e, where + "{}.").ToDictionary(f => f.Key, f => f.Value);
                    entries.Add(((string?)fields[MapEntry.Key] ?? "", fields[MapEntry.Value]));
                }
                var dictionary = InferredValues.NewDictionary(clr, InferredValues.KeyComparerFor(entries.Select(x => x.Key)));
                foreach (var (k, v) in entries) dictionary[k] = v;
                return dictionary;
            }
            case TypeKind.List:
            {
                var items = (IReadOnlyList<object?>)stored;
                var decoded = items.Select(i => DecodeValue(type.Element!, clr?.Element, i, where + "[]")).ToArray();
                return InferredValues.MakeCollection(clr, decoded);
            }
            case TypeKind.Enum:
                return stored is ushort u ? InferredValues.EnumName(type.Enum!.Enumerants, u) : stored;
            default:
                return InferredValues.Scalar(stored, clr, where);
        }
    }
}
