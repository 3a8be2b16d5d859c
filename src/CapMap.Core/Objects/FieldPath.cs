using CapMap.Schema;

namespace CapMap.Objects;

/// <summary>
/// Where records go in (or come from) a message: a path of fields from the root struct (dotted for nested
/// structs and groups) ending at a List(Struct) (records are appended) or at a struct or group field (it is set).
/// </summary>
public sealed class FieldPath
{
    private FieldPath(StructSchema root, IReadOnlyList<FieldSchema> fields)
    {
        Root = root;
        Fields = fields;
        var last = fields[^1];
        IsList = IsStructList(last);
        ElementSchema = last.IsGroup ? last.GroupType!
            : IsList ? last.Type.ElementType!.StructType!
            : last.Type.StructType!;
        Path = string.Join(".", fields.Select(f => f.Name));
    }

    /// <summary>The struct the path starts at.</summary>
    public StructSchema Root { get; }

    /// <summary>The fields from the root down to the target.</summary>
    public IReadOnlyList<FieldSchema> Fields { get; }

    /// <summary>The target field (the last of <see cref="Fields"/>).</summary>
    public FieldSchema Field => Fields[^1];

    /// <summary>The target is a List(Struct): inputs are appended as elements.</summary>
    public bool IsList { get; }

    /// <summary>The struct each input is written as: the list's element type, or the struct/group itself.</summary>
    public StructSchema ElementSchema { get; }

    /// <summary>The canonical dotted path (the schema's spelling of each name).</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override string ToString() => Path;

    /// <summary>A List(Struct) field: records are streamed into it.</summary>
    public static bool IsStructList(FieldSchema f) =>
        !f.IsGroup && f.Type.Kind == TypeKind.List && f.Type.ElementType?.Kind == TypeKind.Struct && f.Type.ElementType.StructType is not null;

    private static bool IsStructLike(FieldSchema f) => f.IsGroup || (f.Type.Kind == TypeKind.Struct && f.Type.StructType is not null);

    /// <summary>
    /// Resolves <paramref name="path"/> in <paramref name="root"/>. Without a path: the root's only
    /// List(Struct) field; when it has none, null if <paramref name="rootIfNoList"/> (the root itself is the
    /// target), else <see cref="FieldPathError.Required"/>.
    /// </summary>
    /// <exception cref="FieldPathException">The path names no field, is required, or ends at a field that holds no records.</exception>
    public static FieldPath? Resolve(StructSchema root, string? path, bool rootIfNoList = false)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            var lists = root.Fields.Where(IsStructList).ToList();
            if (lists.Count == 1) return new FieldPath(root, new[] { lists[0] });
            if (lists.Count == 0 && rootIfNoList) return null;
            string known = lists.Count == 0
                ? $"it has no List(Struct) field; name a struct field instead (fields: {string.Join(", ", root.Fields.Select(f => f.Name))})"
                : $"it has {lists.Count} List(Struct) fields: {string.Join(", ", lists.Select(f => f.Name))}";
            throw new FieldPathException(FieldPathError.Required, root.NestedName, $"A field is required for root type {root.NestedName}: {known}.");
        }

        var fields = new List<FieldSchema>();
        StructSchema scope = root;
        string[] parts = path.Split('.');
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i].Trim();
            if (!scope.TryGetField(part, out var field))
            {
                string where = fields.Count == 0 ? root.NestedName : root.NestedName + "." + string.Join(".", fields.Select(f => f.Name));
                throw new FieldPathException(FieldPathError.NotFound, path,
                    $"{where} has no field '{part}' (field path '{path}'). Fields: {string.Join(", ", scope.Fields.Select(f => f.Name))}.");
            }
            fields.Add(field);
            if (i == parts.Length - 1)
            {
                if (IsStructList(field) || IsStructLike(field)) break;
                throw new FieldPathException(FieldPathError.TypeNotSupported, path,
                    $"The field path '{path}' ends at a {Describe(field)}; it must be a List(Struct) (records are appended) or a struct or group (it is set). " +
                    "Other fields are set as properties of a record.");
            }
            if (!IsStructLike(field))
            {
                throw new FieldPathException(FieldPathError.TypeNotSupported, path,
                    $"The field path '{path}': '{field.Name}' is a {Describe(field)}, so it has no field '{parts[i + 1]}'.");
            }
            scope = field.IsGroup ? field.GroupType! : field.Type.StructType!;
        }
        return new FieldPath(root, fields);
    }

    private static string Describe(FieldSchema f) => f.IsGroup ? "group" : f.Type.ToString();

    /// <summary>Dotted paths <see cref="Resolve"/> accepts under <paramref name="root"/> (for tab completion), lists first.</summary>
    public static IEnumerable<(string Path, string Type, bool IsList)> Candidates(StructSchema root, int maxDepth = 3)
    {
        var results = new List<(string, string, bool)>();
        void Walk(StructSchema scope, string prefix, int depth, HashSet<ulong> seen)
        {
            foreach (var f in scope.Fields)
            {
                string path = prefix + f.Name;
                if (IsStructList(f)) results.Add((path, f.Type.ToString(), true));
                else if (IsStructLike(f))
                {
                    results.Add((path, f.IsGroup ? "group" : f.Type.ToString(), false));
                    var inner = f.IsGroup ? f.GroupType! : f.Type.StructType!;
                    if (depth < maxDepth && seen.Add(inner.Id))
                    {
                        Walk(inner, path + ".", depth + 1, seen);
                        seen.Remove(inner.Id);
                    }
                }
            }
        }
        Walk(root, "", 1, new HashSet<ulong> { root.Id });
        return results.OrderBy(r => r.Item3 ? 0 : 1).ThenBy(r => r.Item1, StringComparer.OrdinalIgnoreCase);
    }
}
