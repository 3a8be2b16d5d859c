namespace CapMap.Schema.Inference;

/// <summary>
/// Values seen so far were of several kinds (numbers and text, objects and plain values, lists and scalars): the
/// shape of each kind, in the order first seen, keyed by <see cref="KeyOf(ValueShape)"/>. Built into a union struct
/// with one member per kind. Numbers of one class (integers, floats, decimals) are one kind and widen within it.
/// </summary>
internal sealed class UnionShape : ValueShape
{
    public UnionShape(string firstKey, ValueShape first, string secondKey, ValueShape second)
    {
        Members.Add((firstKey, first));
        Members.Add((secondKey, second));
    }

    /// <summary>One shape per kind, in the order the kinds were first seen.</summary>
    public List<(string Key, ValueShape Shape)> Members { get; } = new();

    /// <summary>The shape of the kind <paramref name="key"/>, or null if none of it was seen.</summary>
    public ValueShape? Find(string key)
    {
        foreach (var (k, shape) in Members)
            if (k == key) return shape;
        return null;
    }

    /// <summary>Sets (or adds, last) the shape of the kind <paramref name="key"/>.</summary>
    public UnionShape Set(string key, ValueShape shape)
    {
        for (int i = 0; i < Members.Count; i++)
            if (Members[i].Key == key)
            {
                Members[i] = (key, shape);
                return this;
            }
        Members.Add((key, shape));
        return this;
    }

    /// <summary>
    /// The kind a scalar of <paramref name="info"/> belongs to: its number class for numbers (so Int32 and Int64
    /// share one member and widen as before), else its row with its argument (String, Boolean, DateTime:Local and
    /// DateTime:Utc, Enum:System.IO.FileAttributes ...): a date keeps its Kind and an enum its type.
    /// </summary>
    public static string KeyOf(ClrTypeInfo info) => info.Row?.Number is { } number ? number.Class.ToString() : info.ToString();

    /// <summary>The kind of a shape that is not a union.</summary>
    public static string KeyOf(ValueShape shape) => shape switch
    {
        ScalarShape s => KeyOf(s.Info),
        ListShape => ListKey,
        MapShape => MapKey,
        StructShape => ObjectKey,
        _ => throw new ArgumentException($"A {shape.GetType().Name} has no single kind.", nameof(shape)),
    };

    public const string ListKey = "List", MapKey = "Map", ObjectKey = "Object";

    /// <summary>
    /// The shape a value of kind <paramref name="key"/> merges into: <paramref name="current"/> itself if it is of
    /// that kind, the union's member of that kind, or null (a kind not seen yet).
    /// </summary>
    public static ValueShape? SameKind(ValueShape? current, string key) => current switch
    {
        null => null,
        UnionShape u => u.Find(key),
        _ => KeyOf(current) == key ? current : null,
    };

    /// <summary>
    /// Puts <paramref name="merged"/> (the shape of kind <paramref name="key"/> after a value was merged into
    /// <see cref="SameKind"/>) back in place of <paramref name="current"/>: a second kind makes a union.
    /// </summary>
    public static ValueShape Place(ValueShape? current, string key, ValueShape merged) => current switch
    {
        null => merged,
        UnionShape u => u.Set(key, merged),
        _ when KeyOf(current) == key => merged,
        _ => new UnionShape(KeyOf(current), current, key, merged),
    };
}
