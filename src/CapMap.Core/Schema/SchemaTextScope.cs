namespace CapMap.Schema;

/// <summary>
/// A naming scope of emitted <c>.capnp</c> text: the file, a namespace struct standing for an imported file, or a
/// declaration (struct, enum, interface, const, annotation). It knows the names declared directly in it, which is
/// what <c>capnp compile</c> searches, innermost scope first, to resolve the first part of a dotted name.
/// </summary>
internal sealed class SchemaTextScope
{
    public SchemaTextScope(string name, SchemaTextScope? parent)
    {
        Name = name;
        Parent = parent;
    }

    /// <summary>The scope's own name (empty for the file).</summary>
    public string Name { get; }

    /// <summary>The enclosing scope; null for the file.</summary>
    public SchemaTextScope? Parent { get; }

    /// <summary>Names declared directly inside: nested declarations, generic parameters, and for the file its aliases.</summary>
    public HashSet<string> Declared { get; } = new(StringComparer.Ordinal);

    /// <summary>This scope, then each enclosing one.</summary>
    public IEnumerable<SchemaTextScope> SelfAndAncestors()
    {
        for (var s = this; s is not null; s = s.Parent) yield return s;
    }
}
