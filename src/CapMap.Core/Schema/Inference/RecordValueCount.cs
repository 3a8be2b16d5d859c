using System.Collections;

namespace CapMap.Schema.Inference;

/// <summary>
/// Counts the values of one record as <see cref="ShapeObserver"/> walks them at a -Depth (every property, list element
/// and map entry that is not null, at every level of nesting), and stops as soon as the count passes the budget, so
/// checking a record whose object graph is endless (FileInfo.Directory.Parent..., a hashtable that holds itself) costs
/// the budget at most. The walk goes breadth-first, level by level: when the budget is passed at some level, every
/// level above it was counted whole, which tells exactly the greatest -Depth that fits. Breadth-first also keeps the
/// stack flat however deep the record nests (only lists inside lists recurse, at most
/// <see cref="ShapeObserver.MaxListNesting"/> deep).
/// </summary>
internal sealed class RecordValueCount
{
    private readonly ShapeObserver _describer;
    private readonly ObjectAdapter _adapter;
    private readonly int _depth;
    private readonly int _maxValues;
    private readonly Queue<(IReadOnlyList<KeyValuePair<string, object?>> Properties, int Level)> _objects = new();

    // Each object's properties, read once per record: object graphs meet the same objects again and again (a type's
    // DeclaringType, BaseType and ReflectedType; PSDrive.Provider and PSProvider), and reflection's getters are slow.
    private readonly Dictionary<object, KeyValuePair<string, object?>[]?> _read = new(ReferenceEqualityComparer.Instance);
    private int _values;
    private int _passedAtLevel;

    private RecordValueCount(ShapeObserver describer, ObjectAdapter adapter, int depth, int maxValues)
    {
        _describer = describer;
        _adapter = adapter;
        _depth = depth;
        _maxValues = maxValues;
    }

    /// <summary>
    /// Null if <paramref name="record"/> has at most <paramref name="maxValues"/> values at <paramref name="depth"/>;
    /// else the rejection, naming the greatest -Depth that fits. <paramref name="read"/> is given the properties of
    /// the nested objects as they were read (by reference), and <paramref name="described"/> the record's own (null
    /// for a value without properties), for the walk that follows to read them from there.
    /// </summary>
    public static RecordTooLargeException? Check(ShapeObserver describer, ObjectAdapter adapter, object? record, int depth, int maxValues,
        out IReadOnlyDictionary<object, KeyValuePair<string, object?>[]?> read, out RecordDescription? described)
    {
        var count = new RecordValueCount(describer, adapter, depth, maxValues);
        read = count._read;
        var value = adapter.Unwrap(record);
        described = describer.DescribeRecord(value);
        count._objects.Enqueue((described?.Properties ?? [new("Value", value)], 1));
        if (count.Fits()) return null;
        // Passed while counting level L: levels 1 .. L-1 fit whole, and -Depth d walks levels 1 .. d+1.
        int level = count._passedAtLevel;
        return new RecordTooLargeException(maxValues, depth, level >= 2 ? level - 2 : null);
    }

    /// <summary>As the overload above, the properties read not kept.</summary>
    public static RecordTooLargeException? Check(ShapeObserver describer, ObjectAdapter adapter, object? record, int depth, int maxValues) =>
        Check(describer, adapter, record, depth, maxValues, out _, out _);

    private bool Fits()
    {
        while (_objects.TryDequeue(out var next))
            foreach (var (_, v) in next.Properties)
                if (!Visit(v, next.Level, 0))
                    return false;
        return true;
    }

    /// <summary>Counts a value at <paramref name="level"/>; an object or map to expand is queued for the next level. False once the budget is passed.</summary>
    private bool Visit(object? raw, int level, int listNesting)
    {
        var value = _adapter.Unwrap(raw);
        if (value is null) return true;
        if (++_values > _maxValues)
        {
            _passedAtLevel = level;
            return false;
        }
        if (ClrTypeTable.Classify(value) is not null) return true;
        if (value is IEnumerable items && value is not IDictionary)
        {
            // The observer writes lists nested deeper than this as one text value: nothing inside is walked.
            if (listNesting >= ShapeObserver.MaxListNesting) return true;
            foreach (var item in items)
                if (!Visit(item, level, listNesting + 1))
                    return false;
            return true;
        }
        // Past -Depth an object is its text: one value, nothing below it.
        if (level > _depth) return true;
        if (PropertiesOf(value) is { } properties) _objects.Enqueue((properties, level + 1));
        return true;
    }

    private KeyValuePair<string, object?>[]? PropertiesOf(object value)
    {
        // A dictionary's entries are cheap to enumerate, and the observer enumerates them itself: not kept.
        if (value is IDictionary) return _adapter.GetProperties(value, nested: true)?.ToArray();
        if (!_read.TryGetValue(value, out var properties))
            _read[value] = properties = _describer.Describe(value, nested: true)?.Properties.ToArray();
        return properties;
    }
}
