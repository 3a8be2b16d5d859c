namespace CapMap.Schema;

/// <summary>
/// One node of a <see cref="SchemaSet"/> (a file, struct, group, enum, interface, constant or annotation
/// declaration). Nodes are immutable once their set has been loaded.
/// </summary>
public abstract class NodeSchema
{
    private SchemaSet? _set;

    private protected NodeSchema(NodeKind kind, ulong id, string displayName, int displayNamePrefixLength, ulong scopeId,
        IReadOnlyList<NestedNodeInfo> nestedNodes, IReadOnlyList<AnnotationSchema> annotations,
        IReadOnlyList<string> parameters, bool isGeneric)
    {
        Kind = kind;
        Id = id;
        DisplayName = displayName;
        DisplayNamePrefixLength = displayNamePrefixLength;
        ScopeId = scopeId;
        NestedNodes = nestedNodes;
        Annotations = annotations;
        Parameters = parameters;
        IsGeneric = isGeneric;
        int colon = displayName.IndexOf(':');
        FileName = colon < 0 ? displayName : displayName[..colon];
        NestedName = colon < 0 ? displayName : displayName[(colon + 1)..];
    }

    /// <summary>What kind of node this is.</summary>
    public NodeKind Kind { get; }

    /// <summary>The node's 64-bit id (<c>@0x...</c>).</summary>
    public ulong Id { get; }

    /// <summary>Fully-qualified display name, e.g. <c>interop.capnp:AllTypes.Inner</c>; a file node's is its file name.</summary>
    public string DisplayName { get; }

    /// <summary>Length of the scope prefix in <see cref="DisplayName"/>.</summary>
    public int DisplayNamePrefixLength { get; }

    /// <summary>The node's own name (<see cref="DisplayName"/> without the scope prefix), e.g. <c>Inner</c>.</summary>
    public string ShortName => DisplayName[DisplayNamePrefixLength..];

    /// <summary>The file part of <see cref="DisplayName"/>, e.g. <c>interop.capnp</c>.</summary>
    public string FileName { get; }

    /// <summary>The dotted name inside the file, e.g. <c>AllTypes.Inner</c> (a file node's is its file name).</summary>
    public string NestedName { get; }

    /// <summary>Id of the enclosing scope (0 for files).</summary>
    public ulong ScopeId { get; }

    /// <summary>Names declared directly inside this node (not groups: those are fields).</summary>
    public IReadOnlyList<NestedNodeInfo> NestedNodes { get; }

    /// <summary>Annotations applied to the node.</summary>
    public IReadOnlyList<AnnotationSchema> Annotations { get; }

    /// <summary>Generic parameter names (empty unless the node is generic).</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>True if this node or an enclosing scope has generic parameters.</summary>
    public bool IsGeneric { get; }

    /// <summary>The set this node belongs to.</summary>
    public SchemaSet Set => _set ?? throw new InvalidOperationException("The node is not part of a loaded SchemaSet.");

    /// <summary>The enclosing scope's node, or null for files and for scopes the request did not include.</summary>
    public NodeSchema? Parent => ScopeId == 0 ? null : _set?.TryGetById(ScopeId);

    /// <summary>A node declared directly inside this one, by name (ordinal, then case-insensitive); null if none.</summary>
    public NodeSchema? GetNestedNode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var n in NestedNodes)
            if (string.Equals(n.Name, name, StringComparison.Ordinal))
                return _set?.TryGetById(n.Id);
        foreach (var n in NestedNodes)
            if (string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase))
                return _set?.TryGetById(n.Id);
        return null;
    }

    internal virtual void Bind(SchemaSet set)
    {
        _set = set;
        foreach (var a in Annotations) a.Bind(set);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {DisplayName} @0x{Id:x16}";
}
