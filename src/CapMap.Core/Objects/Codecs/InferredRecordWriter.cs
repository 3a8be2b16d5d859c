using System.Collections;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Wire;

namespace CapMap.Objects.Codecs;

/// <summary>
/// Writes objects straight into the record structs of an <see cref="InferredSchema"/>, through a plan made once
/// per struct (each field's slot, path, converter inputs and null flag). A record takes two steps, because the
/// bytes need them: its properties are read and converted into one slot per field (so a value that does not fit
/// throws before anything is written), then the slots are written in field order (pointer targets are allocated
/// in that order, as <see cref="DynamicValueWriter"/> allocates them). No dictionary per record or nested object.
/// A record that does not fit the schema (a property it lacks, a value of another type, a value where the
/// samples had only nulls) throws <see cref="InferredValueException"/> with nothing written: the writer of the
/// records then widens the schema and goes on in a next message (<see cref="RecordWriterSession"/>).
/// Not thread-safe (it remembers shapes).
/// </summary>
internal sealed class InferredRecordWriter
{
    private readonly ObjectAdapter _adapter;
    private readonly ShapeObserver _describer;
    private readonly ValuesWrittenAsText? _asText;
    private readonly List<(string Path, int Level)> _asTextInRecord = [];
    private readonly InferredStructPlan _record;
    private readonly InferredField? _plainValue;
    private readonly Dictionary<InferredStruct, (object Key, object?[] Slots)> _lastNested = new(ReferenceEqualityComparer.Instance);
    private readonly int _maxValuesPerRecord;
    private object? _recordInProgress;
    private int _valuesInRecord;

    /// <param name="record">The record struct.</param>
    /// <param name="plainValue">Its value field when the records are plain values (<see cref="InferredSchema.PlainValueField"/>), else null.</param>
    /// <param name="adapter">Reads objects' properties.</param>
    /// <param name="asText">Counts values with properties written as text (null: not counted).</param>
    /// <param name="maxValuesPerRecord">Most values one record may have (<see cref="InferenceOptions.MaxValuesPerRecord"/>).</param>
    public InferredRecordWriter(InferredStruct record, InferredField? plainValue, ObjectAdapter adapter, ValuesWrittenAsText? asText = null,
        int maxValuesPerRecord = InferenceOptions.DefaultMaxValuesPerRecord)
    {
        _maxValuesPerRecord = maxValuesPerRecord;
        _asText = asText;
        _plainValue = plainValue;
        _adapter = adapter;
        _describer = new ShapeObserver(adapter, int.MaxValue);
        _record = new InferredStructPlan(record, "", 1);
    }

    /// <summary>Writes <paramref name="record"/> into <paramref name="target"/>; a value without properties is the record's <c>Value</c>.</summary>
    /// <exception cref="InferredValueException">
    /// A value does not fit its field's type, or the record has properties where the records are plain values
    /// (its properties have no field to go to, and an empty record would read back as null).
    /// </exception>
    /// <exception cref="RecordTooLargeException">The record has more values than one may have; nothing of it was written.</exception>
    public void Write(StructBuilder target, object? record)
    {
        _recordInProgress = record;
        _valuesInRecord = 0;
        var value = _adapter.Unwrap(record);
        var described = TakeAlreadyRead(record) is { } read ? (read.Kind, read.Argument, read.Properties) : _describer.Describe(value);
        if (described is not null && _plainValue is { } plain)
            throw new InferredValueException($"A {_adapter.GetTypeName(value!) ?? value!.GetType().Name} with properties does not fit records that are plain values ({plain.Clr?.ToString() ?? plain.Type.ToString()}).");
        _asTextInRecord.Clear();
        if (_record.Union is { } types)
        {
            // Records of several .NET types: the member of this record's type holds its properties.
            var typeName = described is { Kind: ClrKind.Object } ? described.Value.Argument : null;
            int member = types.MemberOfType(typeName);
            if (member < 0)
                throw new InferredValueException($"A record of type {typeName ?? value?.GetType().Name ?? "null"} does not fit records of the types {types.TypeNames}.");
            var memberPlan = _record.Fields[member].Value;
            WriteUnion(target, _record, new UnionValue(member, EncodeStruct(memberPlan.Struct!, described!.Value.Properties)));
        }
        else
        {
            var properties = described?.Properties ?? [new("Value", value)];
            WriteStruct(target, _record, EncodeStruct(_record, properties));
        }
        // Counted once the record is written: a record rejected for another value wrote nothing as text.
        if (_asTextInRecord.Count > 0) _asText?.AddRecord(_asTextInRecord);
    }

    // A held record's own properties, as the sample read them (see RecordDescription); matched by reference, used once.
    private (object Record, RecordDescription Read)? _alreadyRead;

    /// <summary>The next record written, if it is <paramref name="record"/>, is written from <paramref name="read"/> (null, null: forget it).</summary>
    internal void AlreadyRead(object? record, RecordDescription? read) =>
        _alreadyRead = record is not null && read is not null && ReferenceEquals(read.ReadBy, _adapter) ? (record, read) : null;

    private RecordDescription? TakeAlreadyRead(object? record)
    {
        if (_alreadyRead is not { } known || !ReferenceEquals(known.Record, record)) return null;
        _alreadyRead = null;
        return known.Read;
    }

    private object?[] EncodeStruct(InferredStructPlan plan, IEnumerable<KeyValuePair<string, object?>> properties)
    {
        var slots = new object?[plan.Fields.Length];
        // Which fields the object had, where some object may lack one (its absence flag is set below).
        var given = plan.HasAbsentFlags ? new bool[plan.Fields.Length] : null;
        List<object?>? others = null;
        int position = 0;
        foreach (var (name, v) in properties)
        {
            int index = plan.FieldAt(position, name);
            if (index >= 0)
            {
                slots[index] = EncodeValue(plan.Fields[index].Value, v);
                if (given is not null) given[index] = true;
            }
            else if (plan.OtherProperties is { } other)
                // A property the struct has no field for is an entry of its other properties, where it stood in the object.
                (others ??= []).Add(EncodeStruct(other.Value.Element!.Struct!, [new(MapEntry.Key, name), new(MapEntry.Value, v), new(PropertyEntry.Position, (uint)position)]));
            else
                throw new InferredValueException($"{plan.Path}{name}: the schema has no such property (it was not in the records it was inferred from).");
            position++;
        }
        if (others is not null) slots[plan.OtherProperties!.Index] = others;
        // A null or missing value leaves its field 0; only the flag tells that apart from a real 0.
        foreach (var f in plan.Fields)
        {
            if (f.NullFlagIndex >= 0 && slots[f.Index] is null)
                slots[f.NullFlagIndex] = true;
            if (f.AbsentFlagIndex >= 0 && !given![f.Index])
                slots[f.AbsentFlagIndex] = true;
        }
        return slots;
    }

    private object? EncodeValue(ValuePlan plan, object? raw)
    {
        var value = _adapter.Unwrap(raw);
        if (value is null) return null;
        if (++_valuesInRecord > _maxValuesPerRecord) CheckBudget();
        var type = plan.Type;
        switch (type.Kind)
        {
            case TypeKind.Struct when plan.Struct!.Union is { } union:
                return EncodeUnion(plan, union, value);
            case TypeKind.Struct:
            {
                // Files in a row share their directory and PowerShell's drive and provider: their slots are made
                // once. Any other object may have changed since the last record, so it is read again.
                object? key = _adapter.ReusableKey(value);
                if (key is not null && _lastNested.TryGetValue(type.Struct!, out var last) && last.Key.Equals(key))
                    return last.Slots;
                if (_describer.Describe(value, nested: true) is not { } described)
                    throw new InferredValueException($"{plan.Where}: a {value.GetType().Name} ('{ClrTypeTable.ToText(value)}') has no properties for struct {type}.");
                var slots = EncodeStruct(plan.Struct!, described.Properties);
                if (key is not null) _lastNested[type.Struct!] = (key, slots);
                return slots;
            }
            case TypeKind.List when plan.IsMap:
                return EncodeMap(plan, plan.Element!.Struct!, value);
            case TypeKind.List:
            {
                var items = new List<object?>();
                if (value is IEnumerable e && value is not (string or IDictionary or byte[]))
                    foreach (var item in e) items.Add(EncodeValue(plan.Element!, item));
                else
                    items.Add(EncodeValue(plan.Element!, value)); // a single value is a one-element list
                return items;
            }
            case TypeKind.Enum:
            {
                int ordinal = IndexOf(type.Enum!.Enumerants, ClrTypeTable.ToText(value));
                return ordinal >= 0 ? (ushort)ordinal : ClrTypeTable.Encode(value, TypeKind.Enum, plan.Clr, plan.Where);
            }
            case TypeKind.Void:
                // Only nulls were seen here, so no type was fixed: the first value decides, in a widened schema.
                throw new InferredValueException($"{plan.Where}: a value ({value.GetType().Name}) where the records had only nulls so far");
            case TypeKind.Text when value is not string && HasParts(value):
                // Nesting cut at -Depth (or a field the sample made text): the value's parts are lost, so it is told.
                _asTextInRecord.Add((plan.Where, plan.Level));
                return ClrTypeTable.Encode(value, type.Kind, plan.Clr, plan.Where);
            default:
                return ClrTypeTable.Encode(value, type.Kind, plan.Clr, plan.Where);
        }
    }

    /// <summary>
    /// The record passed the budget as this writer counts (a union's value and a map's key count as values here too):
    /// the exact count, by the sample walk's rules, decides, and names the -Depth that fits. A record within it after
    /// all is not checked again (its walk, which follows the schema, is bounded by the count).
    /// </summary>
    private void CheckBudget()
    {
        _valuesInRecord = int.MinValue;
        // The -Depth the schema was inferred with, when counted; else the deepest there is (beyond the schema's own
        // levels values are text, one value each, so the count differs only in the -Depth it names).
        int depth = _asText?.Depth ?? InferenceOptions.MaxDepth;
        if (RecordValueCount.Check(_describer, _adapter, _recordInProgress, depth, _maxValuesPerRecord) is { } tooLarge)
            throw tooLarge;
    }

    /// <summary>
    /// A value of a union field: the member of the value's kind holds it. A new scalar kind does not fit (the schema
    /// must widen); an object or list where the union has no such member but text is the string the samples gave
    /// such values (cut by the depth, as in a Text field).
    /// </summary>
    private UnionValue EncodeUnion(ValuePlan plan, UnionPlan union, object value)
    {
        string key = KindOf(value);
        int member = union.MemberOfKind(key);
        if (member < 0 && key is UnionShape.ObjectKey or UnionShape.ListKey or UnionShape.MapKey)
            member = union.MemberOfKind("String");
        if (member < 0)
            throw new InferredValueException($"{plan.Where}: a {value.GetType().Name} ('{ClrTypeTable.ToText(value)}') is of none of the kinds {union.Kinds}.");
        return new UnionValue(member, EncodeValue(plan.Struct!.Fields[member].Value, value));
    }

    /// <summary>The kind of a value that is not null, as <see cref="UnionShape.KeyOf(ClrTypeInfo)"/> names kinds.</summary>
    private string KindOf(object value)
    {
        if (ClrTypeTable.Classify(value) is { } scalar) return UnionShape.KeyOf(scalar);
        if (value is IDictionary) return UnionShape.MapKey;
        if (value is IEnumerable) return UnionShape.ListKey;
        return _describer.Describe(value, nested: true) is null ? "String" : UnionShape.ObjectKey;
    }

    /// <summary>
    /// A dictionary as its entries, each a key (as invariant text, as record keys are) and its value, in the
    /// dictionary's order. An object where the samples had dictionaries gives its properties as entries.
    /// </summary>
    private List<object?> EncodeMap(ValuePlan plan, InferredStructPlan entry, object value)
    {
        var properties = (value is IDictionary ? _adapter.GetProperties(value, nested: true) : _describer.Describe(value, nested: true)?.Properties)
            ?? throw new InferredValueException($"{plan.Where}: a {value.GetType().Name} ('{ClrTypeTable.ToText(value)}') is not a dictionary for a map of {plan.Element!.Type}.");
        var entries = new List<object?>();
        foreach (var (key, v) in properties)
            entries.Add(EncodeStruct(entry, [new(MapEntry.Key, key), new(MapEntry.Value, v)]));
        return entries;
    }

    /// <summary>True for a value whose text loses its parts: a list, a dictionary, an object with properties (not a value of the type table).</summary>
    private bool HasParts(object value) =>
        ClrTypeTable.Classify(value) is null && (value is IEnumerable || _adapter.HasProperties(value, nested: true));

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
                return i;
        return -1;
    }

    private static void WriteStruct(StructBuilder b, InferredStructPlan plan, object?[] slots)
    {
        // A null slot is a missing or null value: the field keeps its 0 (pointer: null).
        foreach (var f in plan.Fields)
            if (slots[f.Index] is { } v)
                WriteField(b, f, v);
    }

    /// <summary>Sets the discriminant to the active member and writes its value (a Void member, the null of a list element, has none).</summary>
    private static void WriteUnion(StructBuilder b, InferredStructPlan plan, UnionValue value)
    {
        var member = plan.Fields[value.Member];
        b.WriteUInt16(plan.Union!.DiscriminantOffset, member.DiscriminantValue);
        if (value.Value is { } v) WriteField(b, member, v);
    }

    private static void WriteField(StructBuilder b, InferredFieldPlan f, object v)
    {
        var kind = f.Value.Type.Kind;
        int offset = f.Offset;
        switch (kind)
        {
            case TypeKind.Struct:
            {
                var s = f.Value.Struct!;
                if (v is object?[] nested) WriteStruct(b.InitStruct(offset, s.Struct.DataWordCount, s.Struct.PointerCount), s, nested);
                else if (v is UnionValue u) WriteUnion(b.InitStruct(offset, s.Struct.DataWordCount, s.Struct.PointerCount), s, u);
                break;
            }
            case TypeKind.List:
                if (v is IReadOnlyList<object?> list) WriteList(new DynamicValueWriter.ListTarget(b, offset), f.Value.Element!, list);
                break;
            default:
                DynamicValueWriter.WriteScalar(b, kind, offset, v, null);
                break;
        }
    }

    private static void WriteList(DynamicValueWriter.ListTarget target, ValuePlan element, IReadOnlyList<object?> items)
    {
        int n = items.Count;
        var kind = element.Type.Kind;
        if (kind == TypeKind.Struct)
        {
            var s = element.Struct!;
            var structs = target.InitStructs(n, s.Struct.DataWordCount, s.Struct.PointerCount);
            for (int i = 0; i < n; i++)
            {
                if (items[i] is object?[] slots) WriteStruct(structs.GetStruct(i), s, slots);
                else if (items[i] is UnionValue u) WriteUnion(structs.GetStruct(i), s, u);
                // A list element cannot be a null pointer: a union keeps a null element as its Void member.
                else if (s.Union is { NullMember: >= 0 } union) WriteUnion(structs.GetStruct(i), s, new UnionValue(union.NullMember, null));
            }
            return;
        }
        var list = target.Init(DynamicValueWriter.ElementSizeOf(kind), n);
        for (int i = 0; i < n; i++)
        {
            if (kind == TypeKind.List)
            {
                if (items[i] is IReadOnlyList<object?> inner) WriteList(new DynamicValueWriter.ListTarget(list, i), element.Element!, inner);
            }
            else DynamicValueWriter.SetElement(list, kind, i, items[i]);
        }
    }

    /// <summary>How one value of a type is read and written at one place of the schema (its path names it in errors).</summary>
    private sealed class ValuePlan
    {
        public ValuePlan(InferredType type, ClrTypeInfo? clr, string where, int level)
        {
            Type = type;
            Clr = clr;
            Where = where;
            Level = level;
            // A map's entries are named by braces in messages (tags{}.value), a list's elements by brackets.
            // Levels count as ShapeObserver counts them for -Depth: a struct's fields (a map's entries) one deeper, a list's elements not.
            // An object's other properties are its own properties: their entries' values are at the level of its fields.
            if (type.Kind == TypeKind.List && PropertyEntry.IsProperties(clr)) Element = new ValuePlan(type.Element!, null, where + "{}", level - 1);
            else if (type.Kind == TypeKind.List) Element = new ValuePlan(type.Element!, clr?.Element, where + (MapEntry.IsMap(clr) ? "{}" : "[]"), level);
            if (type.Kind == TypeKind.Struct) Struct = new InferredStructPlan(type.Struct!, where.Length == 0 ? "" : where + ".", level + 1);
            // A list that says Map but whose element is not an entry struct (a hand-made schema) is a plain list.
            IsMap = MapEntry.IsMap(clr) && Element?.Struct is { } entry && MapEntry.FieldsOf(entry.Struct) is not null;
        }

        /// <summary>A dictionary's entries (<see cref="ClrKind.Map"/>): the element is the entry struct.</summary>
        public bool IsMap { get; }

        public InferredType Type { get; }
        public ClrTypeInfo? Clr { get; }
        public string Where { get; }
        /// <summary>The level of nesting of a value here: 1 for the record's own properties.</summary>
        public int Level { get; }
        public ValuePlan? Element { get; }
        public InferredStructPlan? Struct { get; }
    }

    private sealed class InferredFieldPlan(int index, int offset, int nullFlagIndex, ushort discriminantValue, ValuePlan value)
    {
        public int Index { get; } = index;
        public int Offset { get; } = offset;
        public int NullFlagIndex { get; } = nullFlagIndex;
        /// <summary>The index of the field's absence flag; -1 if every object had the property.</summary>
        public int AbsentFlagIndex { get; init; } = -1;
        public ushort DiscriminantValue { get; } = discriminantValue;
        public ValuePlan Value { get; } = value;
    }

    /// <summary>A value of a union struct: the index of the member that holds it, and the member's encoded value.</summary>
    private sealed record UnionValue(int Member, object? Value);

    /// <summary>
    /// A struct's fields as slots, and which field each property position of the last object held: objects of one
    /// shape give the same name instances in the same order, so a record matches its names by reference.
    /// </summary>
    private sealed class InferredStructPlan
    {
        private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
        private string?[] _namesAt = [];
        private int[] _fieldAt = [];

        public InferredStructPlan(InferredStruct s, string path, int level)
        {
            Struct = s;
            Path = path;
            var fields = s.Fields;
            Fields = new InferredFieldPlan[fields.Count];
            var otherProperties = PropertyEntry.FieldOf(s);
            for (int i = 0; i < fields.Count; i++)
            {
                var f = fields[i];
                // The field of other properties is no property itself: a property of its name is one of them.
                if (f != otherProperties) _byName.TryAdd(f.Name, i);
                int flag = f.NullFlag is { } nullFlag ? nullFlag.Ordinal : -1;
                int absentFlag = f.AbsentFlag is { } absent ? absent.Ordinal : -1;
                HasAbsentFlags |= absentFlag >= 0;
                // A union member holds the value of the union's own field: messages name that field, not the member,
                // and its level is that field's (the union struct around it is no level of nesting of its own).
                string where = s.IsUnion ? path.TrimEnd('.') : path + f.Name;
                int fieldLevel = s.IsUnion ? level - 1 : level;
                Fields[i] = new InferredFieldPlan(i, checked((int)f.Offset), flag, f.DiscriminantValue, new ValuePlan(f.Type, f.Clr, where, fieldLevel)) { AbsentFlagIndex = absentFlag };
            }
            if (s.IsUnion) Union = new UnionPlan(s);
            if (otherProperties is not null) OtherProperties = Fields[otherProperties.Ordinal];
        }

        /// <summary>True if a field has an absence flag (<see cref="InferredField.AbsentFlag"/>): the writer then notes which properties an object had.</summary>
        public bool HasAbsentFlags { get; }

        /// <summary>The field of the properties that have no field of their own (<see cref="ClrKind.Properties"/>); null if the struct has none.</summary>
        public InferredFieldPlan? OtherProperties { get; }

        /// <summary>How the members of a union struct are chosen; null for a struct of plain fields.</summary>
        public UnionPlan? Union { get; }

        public InferredStruct Struct { get; }
        public string Path { get; }
        public InferredFieldPlan[] Fields { get; }

        /// <summary>The index of the field the property at <paramref name="position"/> goes to; -1 if the schema has none.</summary>
        public int FieldAt(int position, string name)
        {
            if (position < _namesAt.Length && ReferenceEquals(_namesAt[position], name)) return _fieldAt[position];
            int index = _byName.TryGetValue(name, out int i) ? i : -1;
            if (position >= _namesAt.Length)
            {
                Array.Resize(ref _namesAt, Math.Max(position + 1, _namesAt.Length * 2));
                Array.Resize(ref _fieldAt, _namesAt.Length);
            }
            _namesAt[position] = name;
            _fieldAt[position] = index;
            return index;
        }
    }
}
