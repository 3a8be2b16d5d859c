using System.Collections;
using System.Collections.Specialized;
using CapMap.Schema.Inference.TypeRows;

namespace CapMap.Schema.Inference;

/// <summary>
/// The read-back rules of the type table that do not depend on how the stored values were decoded, shared by
/// the row reader (straight from the wire) and the tests' reference decoder (from a dictionary):
/// collections as the array or list type they were, dictionaries as the flavour they were, enums by name.
/// </summary>
public static class InferredValues
{
    /// <summary>A decoded list as the collection it was: <c>T[]</c>, <c>List&lt;T&gt;</c> where the element type loads, else <c>object[]</c>.</summary>
    public static object MakeCollection(ClrTypeInfo? clr, object?[] decoded) => CollectionMaker(clr)(decoded);

    /// <summary><see cref="MakeCollection"/> with the element type resolved once, for a reader that makes many.</summary>
    public static Func<object?[], object> CollectionMaker(ClrTypeInfo? clr)
    {
        var elementType = clr?.Element is { } element ? ClrTypeTable.ClrType(element) : null;
        if (elementType is null || elementType == typeof(object)) return decoded => decoded;
        switch (clr!.Kind)
        {
            case ClrKind.Array:
                return decoded =>
                {
                    var array = Array.CreateInstance(elementType, decoded.Length);
                    for (int i = 0; i < decoded.Length; i++) array.SetValue(decoded[i], i);
                    return array;
                };
            case ClrKind.List:
            {
                var listType = typeof(List<>).MakeGenericType(elementType);
                return decoded =>
                {
                    var list = (IList)Activator.CreateInstance(listType, decoded.Length)!;
                    foreach (var d in decoded) list.Add(d);
                    return list;
                };
            }
            default:
                return decoded => decoded;
        }
    }

    /// <summary>True if a struct of this origin reads back as a dictionary, not an object.</summary>
    public static bool IsDictionary(ClrTypeInfo? clr) => clr?.Kind == ClrKind.Dictionary;

    /// <summary>
    /// An empty dictionary of the recorded flavour (ordered or not) that compares keys with <paramref name="keys"/>
    /// (<see cref="KeyComparerFor"/>).
    /// </summary>
    public static IDictionary NewDictionary(ClrTypeInfo? clr, IEqualityComparer keys) =>
        clr?.Argument == "Ordered" ? new OrderedDictionary(keys) : new Hashtable(keys);

    /// <summary>
    /// How a dictionary read back compares its keys. PowerShell's own dictionaries (<c>@{}</c>, <c>[ordered]@{}</c>,
    /// what Import-Clixml gives back) ignore case, so <c>$h.Name</c> finds the key <c>name</c>; the file does not record
    /// the comparer, so a dictionary ignores case too, unless two of its keys differ only by case: then the one
    /// written compared them exactly, and ignoring case would merge them.
    /// </summary>
    public static IEqualityComparer KeyComparerFor(IEnumerable<string> keys)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys)
            if (!seen.Add(key)) return StringComparer.Ordinal;
        return StringComparer.OrdinalIgnoreCase;
    }

    /// <summary>An inferred enum's stored ordinal as its original name; an unknown ordinal stays the number.</summary>
    public static object EnumName(IReadOnlyList<string> names, ushort ordinal) => ordinal < names.Count ? names[ordinal] : ordinal;

    /// <summary>
    /// <see cref="Scalar"/> for one field, prepared once: an enum's type is resolved once and each distinct name is
    /// parsed once (enum values are immutable, so a boxed one can be shared).
    /// </summary>
    public static Func<object?, object?> ScalarReader(ClrTypeInfo? clr, string where)
    {
        if (clr is null or { Kind: ClrKind.None }) return stored => stored;
        if (clr.Row is not EnumRow || ClrTypeTable.ClrType(clr) is not { } enumType) return stored => ClrTypeTable.Decode(stored, clr, where);
        var parsed = new Dictionary<string, object>(StringComparer.Ordinal);
        return stored =>
        {
            if (stored is not string name) return ClrTypeTable.Decode(stored, clr, where);
            if (parsed.TryGetValue(name, out var value)) return value;
            value = ClrTypeTable.Decode(stored, clr, where)!;
            if (parsed.Count < 1024) parsed[name] = value;
            return value;
        };
    }

    /// <summary>A stored scalar as its recorded .NET type (unchanged where nothing was recorded).</summary>
    /// <exception cref="InferredValueException">It does not read back as that type.</exception>
    public static object? Scalar(object? stored, ClrTypeInfo? clr, string where) =>
        stored is null || clr is null or { Kind: ClrKind.None } ? stored : ClrTypeTable.Decode(stored, clr, where);
}
