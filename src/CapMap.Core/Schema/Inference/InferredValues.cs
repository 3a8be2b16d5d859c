using System.Collections;
using System.Collections.Specialized;

namespace CapMap.Schema.Inference;

/// <summary>
/// The read-back rules of the type table that do not depend on how the stored values were decoded, shared by
/// <see cref="InferredRecordCodec.Decode"/> (from a dictionary) and the row reader (straight from the wire):
/// collections as the array or list type they were, dictionaries as the flavour they were, enums by name.
/// </summary>
public static class InferredValues
{
    /// <summary>A decoded list as the collection it was: <c>T[]</c>, <c>List&lt;T&gt;</c> where the element type loads, else <c>object[]</c>.</summary>
    public static object MakeCollection(ClrTypeInfo? clr, object?[] decoded)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var elementType = clr?.Element is { } element ? ClrTypeTable.ClrType(element) : null;
        switch (clr?.Kind)
        {
            case ClrKind.Array when elementType is not null:
            {
                if (elementType == typeof(object)) return decoded;
                var array = Array.CreateInstance(elementType, decoded.Length);
                for (int i = 0; i < decoded.Length; i++) array.SetValue(decoded[i], i);
                return array;
            }
            case ClrKind.List when elementType is not null:
            {
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType), decoded.Length)!;
                foreach (var d in decoded) list.Add(d);
                return list;
            }
            default:
                return decoded;
        }
    }

    /// <summary>True if a struct of this origin reads back as a dictionary, not an object.</summary>
    public static bool IsDictionary(ClrTypeInfo? clr) => clr?.Kind == ClrKind.Dictionary;

    /// <summary>An empty dictionary of the recorded flavour (ordered or not).</summary>
    public static IDictionary NewDictionary(ClrTypeInfo? clr) => clr?.Argument == "Ordered" ? new OrderedDictionary() : new Hashtable();

    /// <summary>An inferred enum's stored ordinal as its original name; an unknown ordinal stays the number.</summary>
    public static object EnumName(IReadOnlyList<string> names, ushort ordinal) => ordinal < names.Count ? names[ordinal] : ordinal;

    /// <summary>A stored scalar as its recorded .NET type (unchanged where nothing was recorded).</summary>
    /// <exception cref="InferredValueException">It does not read back as that type.</exception>
    public static object? Scalar(object? stored, ClrTypeInfo? clr, string where) =>
        stored is null || clr is null or { Kind: ClrKind.None } ? stored : ClrTypeTable.Decode(stored, clr, where);
}
