using System.Collections;
using CapMap.Schema.Inference.TypeRows;

namespace CapMap.Schema.Inference;

/// <summary>Follows sampled values into <see cref="ValueShape"/>s (the depth rule, the struct budget and the per-record value budget live here).</summary>
internal sealed class ShapeObserver
{
    /// <summary>Lists inside lists deeper than this are written as text (guards against self-enumerating objects).</summary>
    internal const int MaxListNesting = 8;

    private static readonly ScalarShape Text = new(ClrTypeInfo.Scalar("String"));

    private readonly ObjectAdapter _adapter;
    private readonly int _depth;
    private readonly int _maxStructs;
    private readonly int _maxValuesPerRecord;
    private int _structs;

    // The properties of the record's nested objects as its count read them (by reference), while it is observed:
    // each getter runs once per record, and both walks see the same values.
    private IReadOnlyDictionary<object, KeyValuePair<string, object?>[]?>? _read;

    /// <param name="adapter">Reads objects' properties.</param>
    /// <param name="depth">Levels of nested objects kept as structs.</param>
    /// <param name="maxStructs">Most nested structs and maps the shapes may hold (<see cref="InferenceOptions.MaxStructs"/>).</param>
    /// <param name="maxValuesPerRecord">Most values one record may have (<see cref="InferenceOptions.MaxValuesPerRecord"/>).</param>
    public ShapeObserver(ObjectAdapter adapter, int depth, int maxStructs = int.MaxValue, int maxValuesPerRecord = int.MaxValue)
    {
        _adapter = adapter;
        _depth = depth;
        _maxStructs = maxStructs;
        _maxValuesPerRecord = maxValuesPerRecord;
    }

    /// <summary>True if one more nested struct or map fits the budget (and counts it); objects past it become text.</summary>
    private bool TakeStruct()
    {
        if (_structs >= _maxStructs) return false;
        _structs++;
        return true;
    }

    /// <summary>
    /// Observes a record (level 0); a value without properties is taken as an object with one property, <c>Value</c>.
    /// Records that are all plain values of the type table (nulls aside) make a <see cref="ClrKind.Plain"/> shape,
    /// read back as the values themselves; one object or list among them makes it an object like any other.
    /// Objects are kept apart by their .NET type (<see cref="RecordShapes"/>).
    /// </summary>
    /// <exception cref="RecordTooLargeException">
    /// The record has more values than the budget allows at this depth; the shapes are left as they were (the record
    /// is counted before any shape takes a part of it, so a rejected record leaves no field behind).
    /// </exception>
    public RecordShapes ObserveRecord(RecordShapes? current, object? raw)
    {
        var value = _adapter.Unwrap(raw);
        LastRecord = null;
        RecordDescription? described;
        if (_maxValuesPerRecord < int.MaxValue)
        {
            if (RecordValueCount.Check(this, _adapter, raw, _depth, _maxValuesPerRecord, out var read, out described) is { } tooLarge)
                throw tooLarge;
            _read = read;
        }
        else described = DescribeRecord(value);
        LastRecord = described;
        try
        {
            var (kind, argument, properties) = described is { } d
                ? (d.Kind, d.Argument, d.Properties)
                : (KindWithoutProperties(value), null, [new("Value", value)]);
            current ??= new RecordShapes();
            var shape = current.For(kind, argument);
            shape.Merge(kind, argument);
            ObserveProperties(shape, properties, 1);
            return current;
        }
        finally
        {
            _read = null; // the next record's objects may have changed
        }
    }

    /// <summary>The last record observed, as it was read (null: a value without properties); see <see cref="RecordDescription"/>.</summary>
    public RecordDescription? LastRecord { get; private set; }

    /// <summary>What a record without properties makes the records: Plain for a value of the type table, None (not known yet) for null, else Object.</summary>
    private static ClrKind KindWithoutProperties(object? value) =>
        value is null ? ClrKind.None : ClrTypeTable.IsScalar(value) ? ClrKind.Plain : ClrKind.Object;

    /// <summary>
    /// The properties of an object or dictionary; null for scalars, collections and objects without properties.
    /// <paramref name="nested"/>: the object is a property's value, not a record (see <see cref="ObjectAdapter.GetProperties"/>).
    /// </summary>
    public (ClrKind Kind, string? Argument, IEnumerable<KeyValuePair<string, object?>> Properties)? Describe(object? value, bool nested = false)
    {
        if (value is null || ClrTypeTable.Classify(value) is not null) return null;
        if (value is not IDictionary && value is IEnumerable) return null;
        var properties = _read is not null && nested && value is not IDictionary && _read.TryGetValue(value, out var read)
            ? read
            : _adapter.GetProperties(value, nested);
        if (properties is null) return null;
        return value is IDictionary
            ? (ClrKind.Dictionary, MapShape.ArgumentOf((IDictionary)value), properties)
            : (ClrKind.Object, _adapter.GetTypeName(value) is { } t && t.IndexOfAny(['(', ')']) < 0 ? t : null, properties);
    }

    /// <summary>A record's own properties, read once and kept (<see cref="RecordDescription"/>); null for a value without properties.</summary>
    public RecordDescription? DescribeRecord(object? value) =>
        Describe(value) is { } own ? new RecordDescription(own.Kind, own.Argument, own.Properties.ToArray(), _adapter) : null;

    private void ObserveProperties(StructShape shape, IEnumerable<KeyValuePair<string, object?>> properties, int level)
    {
        shape.CountObject();
        foreach (var (name, v) in properties)
        {
            int i = shape.IndexOf(name);
            shape.CountPresent(i);
            shape.Properties[i] = (name, Observe(shape.Properties[i].Shape, v, level, 0));
        }
    }

    /// <summary>
    /// Merges a value into the shape of its property (or list element, or map value). A value of a kind not seen
    /// there before makes the shape a union of the kinds (<see cref="UnionShape"/>), so each value keeps its own.
    /// </summary>
    private ValueShape? Observe(ValueShape? current, object? raw, int level, int listNesting)
    {
        var value = _adapter.Unwrap(raw);
        if (value is null) return current;
        if (ClrTypeTable.Classify(value) is { } scalar) return JoinScalar(current, scalar);

        if (value is IEnumerable items && value is not IDictionary)
        {
            if (listNesting >= MaxListNesting) return JoinScalar(current, Text.Info);
            var collection = value.GetType() switch
            {
                { IsArray: true } t when t.GetElementType() != typeof(object) => ClrKind.Array,
                { IsGenericType: true } t when t.GetGenericTypeDefinition() == typeof(List<>) => ClrKind.List,
                _ => ClrKind.Sequence,
            };
            var list = UnionShape.SameKind(current, UnionShape.ListKey) as ListShape ?? new ListShape(collection);
            if (list.Collection != collection) list.Collection = ClrKind.Sequence;
            if (DeclaredElement(value.GetType()) is { } declared) list.Element = JoinScalar(list.Element, declared);
            foreach (var item in items)
            {
                if (_adapter.Unwrap(item) is null) list.HasNulls = true;
                else list.Element = Observe(list.Element, item, level, listNesting + 1);
            }
            return UnionShape.Place(current, UnionShape.ListKey, list);
        }

        if (value is IDictionary dictionary && level <= _depth
            && (UnionShape.SameKind(current, UnionShape.MapKey) is not null || TakeStruct()))
            return ObserveMap(current, dictionary, level);

        if (level > _depth || value is IDictionary || Describe(value, nested: true) is not { } described)
            return JoinScalar(current, Text.Info); // beyond the depth or the budget, or nothing to show: its string, as Export-Csv writes it
        var shape = UnionShape.SameKind(current, UnionShape.ObjectKey) as StructShape;
        if (shape is null)
        {
            if (!TakeStruct()) return JoinScalar(current, Text.Info);
            shape = new StructShape(described.Kind, described.Argument);
        }
        else shape.Merge(described.Kind, described.Argument);
        ObserveProperties(shape, described.Properties, level + 1);
        return UnionShape.Place(current, UnionShape.ObjectKey, shape);
    }

    /// <summary>
    /// A dictionary below the record is a map: its keys are data, not names, so records keep their own keys and
    /// only the values share a shape (one level down, like an object's properties).
    /// </summary>
    private ValueShape ObserveMap(ValueShape? current, IDictionary dictionary, int level)
    {
        var argument = MapShape.ArgumentOf(dictionary);
        var map = UnionShape.SameKind(current, UnionShape.MapKey) as MapShape;
        if (map is null) map = new MapShape(argument);
        else map.Merge(argument);
        foreach (DictionaryEntry entry in dictionary)
            map.Value = Observe(map.Value, entry.Value, level + 1, 0);
        return UnionShape.Place(current, UnionShape.MapKey, map);
    }

    private static ClrTypeInfo? DeclaredElement(Type collectionType)
    {
        var element = collectionType.IsArray ? collectionType.GetElementType()
            : collectionType.IsGenericType && collectionType.GetGenericTypeDefinition() == typeof(List<>) ? collectionType.GetGenericArguments()[0]
            : null;
        // An element's declared DateTime kind is not known; only values tell it.
        return element is null || element == typeof(DateTime) ? null : ClrTypeTable.Classify(element);
    }

    private static ValueShape JoinScalar(ValueShape? current, ClrTypeInfo scalar)
    {
        string key = UnionShape.KeyOf(scalar);
        var merged = UnionShape.SameKind(current, key) is ScalarShape s
            ? s.Info == scalar ? s : new ScalarShape(ScalarLattice.Join(s.Info, scalar))
            : new ScalarShape(scalar);
        return UnionShape.Place(current, key, merged);
    }
}
