namespace CapMap.Schema.Inference;

/// <summary>
/// The properties an inferred schema has no type for yet: null in every object seen, so their field is Void. Writing
/// with inference, the first value that comes later widens the schema (a next message); a schema used as it is
/// (<c>ConvertTo-CapnpSchema</c>'s output given to <c>-Schema</c>) refuses every value there, so the user is told.
/// </summary>
public static class UntypedProperties
{
    /// <summary>
    /// Paths of the Void fields of <paramref name="schema"/>'s records (property names joined by '.', list elements
    /// by "[]"), in field order; a union's Void member (the null of values of several kinds) is no such property.
    /// </summary>
    public static IReadOnlyList<string> Of(InferredSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var paths = new List<string>();
        if (schema.Record is { } record) Walk(record, "", paths);
        return paths;
    }

    // Inferred structs form a tree (a struct per place), at most SchemaBudget.MaxStructNesting deep.
    private static void Walk(InferredStruct declaring, string prefix, List<string> paths)
    {
        foreach (var field in declaring.Fields)
        {
            if (field.IsFlag) continue;
            // A union's members are the kinds of one property's values: the path stays the property's.
            bool member = field.DiscriminantValue != FieldSchema.NoDiscriminant;
            string path = member ? prefix : Join(prefix, field.Name);
            var type = field.Type;
            if (type.Kind == TypeKind.Void)
            {
                if (!member) paths.Add(path);
                continue;
            }
            while (type.Kind == TypeKind.List && type.Element is { } element)
            {
                type = element;
                path += "[]";
            }
            if (type.Kind == TypeKind.Struct && type.Struct is { } inner) Walk(inner, path, paths);
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
}
