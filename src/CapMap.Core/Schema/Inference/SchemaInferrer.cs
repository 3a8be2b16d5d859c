namespace CapMap.Schema.Inference;

/// <summary>
/// Infers a schema from sample records: fields follow property order (first seen first), types come from the
/// values (numbers widen as the samples demand, values of several kinds make a union struct with one member per
/// kind), nested objects and lists are followed to <see cref="InferenceOptions.Depth"/>. Records that are plain values
/// (numbers, strings, dates ...) on their own make a record struct with one field, <c>Value</c>, marked
/// <see cref="ClrKind.Plain"/> so they read back as the values themselves (<see cref="InferredSchema.PlainValueField"/>).
/// Records that are objects of several .NET types make a record struct that is a union of one struct per type
/// (<see cref="ClrKind.Union"/>), so each keeps its type name and its own properties. Feed records with
/// <see cref="Add"/> (it stops taking them once the sample is full), then call <see cref="Build"/>. Nulls never fix a
/// type: a property that was null (or missing) in every record seen is Void, which reads back as null, until a value
/// says what it is. The shapes stay alive past the sample: a later record that does not fit the schema is taken in
/// with <see cref="Widen"/>, and <see cref="Build"/> then gives the schema widened by it (the next message's).
/// </summary>
public sealed class SchemaInferrer
{
    private readonly InferenceOptions _options;
    private readonly ShapeObserver _observer;
    private RecordShapes? _records;

    /// <summary>Creates an inferrer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Depth is negative or SampleSize is not positive.</exception>
    public SchemaInferrer(InferenceOptions? options = null)
    {
        _options = options ?? new InferenceOptions();
        if (_options.Depth < 0) throw new ArgumentOutOfRangeException(nameof(options), _options.Depth, "Depth must be 0 or more.");
        if (_options.SampleSize < 1) throw new ArgumentOutOfRangeException(nameof(options), _options.SampleSize, "SampleSize must be at least 1.");
        if (_options.MaxStructs < 0) throw new ArgumentOutOfRangeException(nameof(options), _options.MaxStructs, "MaxStructs must be 0 or more.");
        if (_options.MaxValuesPerRecord < 1) throw new ArgumentOutOfRangeException(nameof(options), _options.MaxValuesPerRecord, "MaxValuesPerRecord must be at least 1.");
        _observer = new ShapeObserver(_options.Adapter, _options.Depth, _options.MaxStructs, _options.MaxValuesPerRecord);
    }

    /// <summary>Records taken so far.</summary>
    public int Count { get; private set; }

    /// <summary>The record <see cref="Add"/> took last, as the sample walk read it (null: a value without properties).</summary>
    internal RecordDescription? LastRecord => _observer.LastRecord;

    /// <summary>True once <see cref="InferenceOptions.SampleSize"/> records were taken.</summary>
    public bool IsFull => Count >= _options.SampleSize;

    /// <summary>Takes a record into the sample; false (and ignored) when the sample is full.</summary>
    /// <exception cref="RecordTooLargeException">The record has more values than one may have (<see cref="InferenceOptions.MaxValuesPerRecord"/>); it was not taken.</exception>
    public bool Add(object? record)
    {
        if (IsFull) return false;
        _records = _observer.ObserveRecord(_records, record);
        Count++;
        return true;
    }

    /// <summary>
    /// Takes a record into the shapes whatever the sample size (a record after the sample that did not fit the
    /// schema built from it): properties it adds are appended, types it needs are widened as the sample's would
    /// be, and the rest stays as it was, so the next <see cref="Build"/> is the schema widened by it.
    /// </summary>
    /// <exception cref="RecordTooLargeException">The record has more values than one may have; nothing was widened.</exception>
    public void Widen(object? record)
    {
        var before = _records?.Groups.Select(g => (Shape: g, Properties: g.Properties.Count)).ToList();
        _records = _observer.ObserveRecord(_records, record);
        Count++;
        // Properties first seen now are late: a shape that keeps getting them puts them in its other properties (SparseProperties).
        foreach (var (shape, properties) in before ?? []) shape.MarkLate(properties);
    }

    /// <summary>The schema of the records seen so far (a record without records has no fields).</summary>
    public InferredSchema Build()
    {
        if (_records?.ByType is { } types)
        {
            // One member per type, named after the type's own name (System.IO.FileInfo: fileInfo, struct RecordFileInfo).
            var members = types.Select(t =>
            {
                string shortName = t.Type[(t.Type.LastIndexOf('.') + 1)..];
                var member = BuildStruct(CapnpIdentifiers.ToTypeIdentifier($"{_options.RecordType} {shortName}"), t.Shape);
                return new InferredField(shortName, InferredType.StructOf(member), new ClrTypeInfo(ClrKind.Object, t.Type));
            });
            return new InferredSchema(InferredStruct.Union(_options.RecordType, members), new ClrTypeInfo(ClrKind.Union), _options.Schema);
        }
        var record = _records?.Merged() ?? new StructShape(ClrKind.Object, null);
        var recordStruct = BuildStruct(_options.RecordType, record);
        // Nothing but null records: no value said what they are, so they stay objects (as records were before Plain).
        var kind = record.Kind == ClrKind.None ? ClrKind.Object : record.Kind;
        return new InferredSchema(recordStruct, new ClrTypeInfo(kind, record.Argument), _options.Schema);
    }

    /// <summary>Infers the schema of the first <see cref="InferenceOptions.SampleSize"/> records.</summary>
    public static InferredSchema Infer(IEnumerable<object?> records, InferenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var inferrer = new SchemaInferrer(options);
        foreach (var r in records)
            if (!inferrer.Add(r))
                break;
        return inferrer.Build();
    }

    private static InferredStruct BuildStruct(string name, StructShape shape)
    {
        // Properties few objects had are entries of one field rather than a field each (SparseProperties).
        var other = SparseProperties.Select(shape);
        var fields = new List<InferredField>(shape.Properties.Count + 1);
        var mayBeAbsent = new HashSet<InferredField>(ReferenceEqualityComparer.Instance);
        ValueShape? otherValues = null;
        for (int i = 0; i < shape.Properties.Count; i++)
        {
            var (property, valueShape) = shape.Properties[i];
            if (other?[i] == true)
            {
                // Joining may widen the first such property's shape in place: harmless, a wider type holds its values.
                otherValues = ShapeJoin.Join(otherValues, valueShape);
                continue;
            }
            var field = BuildField(name, property, valueShape);
            fields.Add(field);
            // An object that lacked the property comes back without it, not with it null: a flag records which.
            if (shape.PresentIn(i) < shape.Objects) mayBeAbsent.Add(field);
        }
        if (other is not null) fields.Add(OtherPropertiesField(name, otherValues));
        return InferredStruct.WithNullFlags(name, fields, mayBeAbsent.Count == 0 ? null : mayBeAbsent.Contains);
    }

    private static InferredField BuildField(string structName, string property, ValueShape? shape)
    {
        // Only nulls so far: no type yet (Void, read back as null); the first value decides, in a widened schema.
        if (shape is null) return new InferredField(property, InferredType.Of(TypeKind.Void));
        // Nested structs are named after their path (RecordDirectory), already a valid identifier.
        var (type, clr) = BuildType(CapnpIdentifiers.ToTypeIdentifier($"{structName} {property}"), shape);
        return new InferredField(property, type, clr);
    }

    /// <summary>The field of a struct's rare properties: a list of entries whose values join as a map's do (nulls only: Text).</summary>
    private static InferredField OtherPropertiesField(string structName, ValueShape? values)
    {
        string prefix = $"{structName} {PropertyEntry.FieldName}";
        var (value, valueClr) = BuildType(CapnpIdentifiers.ToTypeIdentifier($"{prefix} value"), values);
        var entry = PropertyEntry.Create(CapnpIdentifiers.ToTypeIdentifier($"{prefix} entry"), new InferredField(MapEntry.Value, value, valueClr));
        return new InferredField(PropertyEntry.FieldName, InferredType.ListOf(InferredType.StructOf(entry)), new ClrTypeInfo(ClrKind.Properties));
    }

    /// <summary>
    /// A union struct of one member per kind, named by it (int32, string, object, list ...), and with
    /// <paramref name="withNull"/> a last Void member <c>null</c> for the null elements of a list.
    /// </summary>
    private static (InferredType Type, ClrTypeInfo Clr) BuildUnion(string name, IEnumerable<ValueShape> shapes, bool withNull)
    {
        var members = shapes.Select(shape =>
        {
            var (type, clr) = BuildType(CapnpIdentifiers.ToTypeIdentifier($"{name} {MemberName(shape)}"), shape);
            return new InferredField(MemberName(shape), type, clr);
        }).ToList();
        if (withNull) members.Add(new InferredField("null", InferredType.Of(TypeKind.Void)));
        return (InferredType.StructOf(InferredStruct.Union(CapnpIdentifiers.ToTypeIdentifier($"{name} value"), members)), new ClrTypeInfo(ClrKind.Union));
    }

    /// <summary>True if null elements of a list of <paramref name="element"/> need a union's Void member (there is no null pointer to hold them).</summary>
    private static bool KeepsNullsAsMember(ValueShape? element) => element switch
    {
        UnionShape or StructShape => true,
        ScalarShape s => InferredField.IsDataKind(s.Info.Row!.Capnp),
        _ => false,
    };

    /// <summary>A union member's name: the .NET row of a plain value (int32, string, dateTimeLocal ...), else its kind.</summary>
    private static string MemberName(ValueShape shape) => shape switch
    {
        ScalarShape s => CapnpIdentifiers.ToMemberIdentifier(s.Info.Row?.Number is not null ? s.Info.Name : s.Info.ToString()),
        _ => CapnpIdentifiers.ToMemberIdentifier(UnionShape.KeyOf(shape)),
    };

    private static (InferredType Type, ClrTypeInfo Clr) BuildType(string name, ValueShape? shape)
    {
        switch (shape)
        {
            case null:
                return (InferredType.Of(TypeKind.Text), ClrTypeInfo.Scalar("String"));
            case ScalarShape s:
                return (InferredType.Of(s.Info.Row!.Capnp), s.Info);
            case ListShape l when l.HasNulls && KeepsNullsAsMember(l.Element):
            {
                // The elements are structs or data values, which have no null: a union with a Void member keeps it.
                var members = l.Element is UnionShape u ? u.Members.Select(m => m.Shape) : [l.Element!];
                var (element, elementClr) = BuildUnion(name, members, withNull: true);
                return (InferredType.ListOf(element), new ClrTypeInfo(l.Collection, element: elementClr));
            }
            case ListShape l:
            {
                var (element, elementClr) = BuildType(name, l.Element);
                return (InferredType.ListOf(element), new ClrTypeInfo(l.Collection, element: elementClr));
            }
            case MapShape m:
            {
                var (value, valueClr) = BuildType(CapnpIdentifiers.ToTypeIdentifier($"{name} value"), m.Value);
                var entry = InferredStruct.WithNullFlags(CapnpIdentifiers.ToTypeIdentifier($"{name} entry"),
                [
                    new InferredField(MapEntry.Key, InferredType.Of(TypeKind.Text), ClrTypeInfo.Scalar("String")),
                    new InferredField(MapEntry.Value, value, valueClr),
                ]);
                return (InferredType.ListOf(InferredType.StructOf(entry)), new ClrTypeInfo(ClrKind.Map, m.Argument));
            }
            case StructShape st:
                return (InferredType.StructOf(BuildStruct(name, st)), new ClrTypeInfo(st.Kind, st.Argument));
            case UnionShape u:
                return BuildUnion(name, u.Members.Select(m => m.Shape), withNull: false);
            default:
                throw new InvalidOperationException($"Unknown shape {shape.GetType().Name}.");
        }
    }
}
