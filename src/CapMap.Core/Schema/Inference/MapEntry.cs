namespace CapMap.Schema.Inference;

/// <summary>
/// The entry struct of a <see cref="ClrKind.Map"/>: the map convention of the Cap'n Proto documentation
/// (<c>Map(Key, Value)</c> as <c>List(Entry)</c>), without generics: <c>{ key :Text; value :V }</c>.
/// </summary>
public static class MapEntry
{
    /// <summary>Name of the field holding an entry's key (the dictionary key as invariant text).</summary>
    public const string Key = "key";

    /// <summary>Name of the field holding an entry's value.</summary>
    public const string Value = "value";

    /// <summary>True if <paramref name="clr"/> says a list field holds a dictionary's entries.</summary>
    public static bool IsMap(ClrTypeInfo? clr) => clr?.Kind == ClrKind.Map;

    /// <summary>
    /// The key and value fields of a map's entry struct; null if the struct is not one (the list then reads as a
    /// list of objects, nothing dropped).
    /// </summary>
    public static (InferredField Key, InferredField Value)? FieldsOf(InferredStruct entry)
    {
        InferredField? key = null, value = null;
        foreach (var f in entry.Fields)
        {
            if (f.IsFlag) continue;
            if (f.Name == Key && f.Type.Kind == TypeKind.Text) key = f;
            else if (f.Name == Value) value = f;
            else return null;
        }
        return key is not null && value is not null ? (key, value) : null;
    }
}
