namespace CapMap.Schema.Inference;

/// <summary>
/// Which properties of a struct shape are written as entries of one field (<see cref="ClrKind.Properties"/>) instead
/// of a field each. A field costs every object of the struct its slot (a word for a pointer, up to a word and a null
/// flag for a number) whether the object has the property or not, and every message its declaration in the schema;
/// an entry costs only the objects that have the property, about three words (the entry, its key, the list's share).
/// So a property in fewer than one object of <see cref="Fraction"/> is cheaper as an entry, and objects keyed by ids
/// (a property per object) stay linear in size instead of a struct of every key seen.
/// </summary>
/// <remarks>
/// Rules, in order: (1) a shape with at least <see cref="MinCount"/> properties that fewer than one object of
/// <see cref="Fraction"/> had puts those in the field; fewer such properties stay fields (a struct of a few optional
/// fields is what other readers expect, and costs little). (2) A shape whose records after the sample brought new
/// properties <see cref="LateChanges"/> times (each one a schema change: a next message) puts every property first
/// seen after the sample in the field too, so that the next new property goes there without a schema change.
/// Records that are plain values have no properties to move.
/// </remarks>
internal static class SparseProperties
{
    /// <summary>A property that fewer than one object of this many had is rare.</summary>
    public const int Fraction = 8;

    /// <summary>Rare properties needed before they leave the struct's fields.</summary>
    public const int MinCount = 8;

    /// <summary>Schema changes for new properties after which properties first seen after the sample are entries too.</summary>
    public const int LateChanges = 2;

    /// <summary>Per property of <paramref name="shape"/>, true if it is an entry of the other properties; null if the shape keeps every property a field.</summary>
    public static bool[]? Select(StructShape shape)
    {
        if (shape.Kind == ClrKind.Plain) return null;
        var properties = shape.Properties;
        var other = new bool[properties.Count];
        int rare = 0;
        bool keepsGettingNew = shape.LateChanges >= LateChanges;
        for (int i = 0; i < other.Length; i++)
        {
            bool isRare = (long)shape.PresentIn(i) * Fraction < shape.Objects;
            if (isRare) rare++;
            other[i] = isRare || keepsGettingNew && shape.IsLate(i);
        }
        return rare >= MinCount || keepsGettingNew ? other : null;
    }
}
