using System.Globalization;

namespace CapMap.Schema;

/// <summary>
/// Names every declaration of the emitted text and writes references to them so they resolve to that declaration
/// from where they stand: the shortest dotted name whose first part is not shadowed by a nearer scope, or, when
/// every form is shadowed, a file-level <c>using</c> alias with a name used nowhere else.
/// </summary>
internal sealed class SchemaTextNames
{
    private readonly Dictionary<ulong, SchemaTextScope> _byId = new();
    private readonly Dictionary<ulong, string> _aliasById = new();
    private readonly List<(string Alias, string Target)> _aliases = new();
    private readonly HashSet<string> _allNames = new(StringComparer.Ordinal);

    public SchemaTextNames() => File = new SchemaTextScope("", null);

    /// <summary>The file's scope.</summary>
    public SchemaTextScope File { get; }

    /// <summary>The <c>using</c> aliases references needed, in the order they were made.</summary>
    public IReadOnlyList<(string Alias, string Target)> Aliases => _aliases;

    /// <summary>Declares <paramref name="name"/> inside <paramref name="parent"/>; with an id, as that node's scope.</summary>
    public SchemaTextScope Declare(string name, SchemaTextScope parent, ulong? id = null)
    {
        var scope = new SchemaTextScope(name, parent);
        parent.Declared.Add(name);
        _allNames.Add(name);
        if (id is { } nodeId) _byId[nodeId] = scope;
        return scope;
    }

    /// <summary>Declares a generic parameter, which shadows like any nested name.</summary>
    public void DeclareParameter(string name, SchemaTextScope scope)
    {
        scope.Declared.Add(name);
        _allNames.Add(name);
    }

    /// <summary>True if the node has a declaration in the text.</summary>
    public bool IsDeclared(ulong id) => _byId.ContainsKey(id);

    /// <summary>The scope of node <paramref name="id"/>; <see cref="CapnpSchemaException"/> if the text does not declare it.</summary>
    public SchemaTextScope ScopeOf(ulong id, string where) => _byId.TryGetValue(id, out var s)
        ? s
        : throw new CapnpSchemaException($"{where} refers to node 0x{id:x16}, which the schema set does not hold.");

    /// <summary>A name for node <paramref name="id"/> that resolves to it from <paramref name="from"/>.</summary>
    public string Reference(ulong id, SchemaTextScope from, string where)
    {
        var target = ScopeOf(id, where);
        var path = target.SelfAndAncestors().TakeWhile(s => s.Parent is not null).Reverse().ToList();
        foreach (var enclosing in from.SelfAndAncestors())
        {
            int start = enclosing.Parent is null ? 0 : path.IndexOf(enclosing) + 1;
            if (start == 0 && enclosing.Parent is not null) continue; // not an ancestor of the target
            if (start >= path.Count) continue; // the target itself
            if (FirstDeclaring(from, path[start].Name) == enclosing)
                return string.Join('.', path.Skip(start).Select(s => s.Name));
        }
        return Alias(id, string.Join('.', path.Select(s => s.Name)));
    }

    /// <summary>A name used by no declaration of the text, for a new top-level declaration or alias.</summary>
    public string Unused(string wanted)
    {
        string name = wanted;
        for (int n = 2; _allNames.Contains(name); n++) name = wanted + n.ToString(CultureInfo.InvariantCulture);
        return name;
    }

    private string Alias(ulong id, string target)
    {
        if (_aliasById.TryGetValue(id, out var alias)) return alias;
        alias = Unused(target[(target.LastIndexOf('.') + 1)..] + "Ref");
        File.Declared.Add(alias);
        _allNames.Add(alias);
        _aliasById[id] = alias;
        _aliases.Add((alias, target));
        return alias;
    }

    private static SchemaTextScope? FirstDeclaring(SchemaTextScope from, string name) =>
        from.SelfAndAncestors().FirstOrDefault(s => s.Declared.Contains(name));
}
