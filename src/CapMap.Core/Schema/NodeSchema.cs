namespace CapMap.Schema;

/// <summary>The kind of a schema node (the tags of <c>Node</c>'s union in schema.capnp).</summary>
public enum NodeKind : ushort
{
    /// <summary>A schema file: the scope of its top-level declarations.</summary>
    File = 0,
    /// <summary>A struct or group.</summary>
    Struct = 1,
    /// <summary>An enum.</summary>
    Enum = 2,
    /// <summary>An interface.</summary>
    Interface = 3,
    /// <summary>A constant.</summary>
    Const = 4,
    /// <summary>An annotation declaration.</summary>
    Annotation = 5,
}

/// <summary>A <c>Node.NestedNode</c>: a name declared inside a file, struct, enum or interface scope.</summary>
public readonly record struct NestedNodeInfo(string Name, ulong Id);

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

/// <summary>A file node.</summary>
public sealed class FileSchema : NodeSchema
{
    internal FileSchema(ulong id, string displayName, int prefix, ulong scopeId, IReadOnlyList<NestedNodeInfo> nested,
        IReadOnlyList<AnnotationSchema> annotations, IReadOnlyList<string> parameters, bool isGeneric)
        : base(NodeKind.File, id, displayName, prefix, scopeId, nested, annotations, parameters, isGeneric) { }
}

/// <summary>An enumerant of an <see cref="EnumSchema"/>.</summary>
public sealed class EnumerantSchema
{
    internal EnumerantSchema(string name, ushort ordinal, ushort codeOrder, IReadOnlyList<AnnotationSchema> annotations)
    {
        Name = name;
        Ordinal = ordinal;
        CodeOrder = codeOrder;
        Annotations = annotations;
    }

    /// <summary>The enumerant's name as written in the schema.</summary>
    public string Name { get; }

    /// <summary>The value stored on the wire (the enumerant's index / <c>@n</c>).</summary>
    public ushort Ordinal { get; }

    /// <summary>Position in the source (declaration order), which may differ from the ordinal.</summary>
    public ushort CodeOrder { get; }
    /// <summary>Annotations applied to the enumerant.</summary>
    public IReadOnlyList<AnnotationSchema> Annotations { get; }
    /// <inheritdoc />
    public override string ToString() => $"{Name} @{Ordinal}";
}

/// <summary>An enum node.</summary>
public sealed class EnumSchema : NodeSchema
{
    private readonly Dictionary<string, EnumerantSchema> _byName = new(StringComparer.OrdinalIgnoreCase);

    internal EnumSchema(ulong id, string displayName, int prefix, ulong scopeId, IReadOnlyList<NestedNodeInfo> nested,
        IReadOnlyList<AnnotationSchema> annotations, IReadOnlyList<string> parameters, bool isGeneric,
        IReadOnlyList<EnumerantSchema> enumerants)
        : base(NodeKind.Enum, id, displayName, prefix, scopeId, nested, annotations, parameters, isGeneric)
    {
        Enumerants = enumerants;
        foreach (var e in enumerants)
            if (!_byName.TryAdd(e.Name, e))
                throw new CapnpSchemaException($"Enum {displayName} has two enumerants named '{e.Name}'.");
    }

    internal override void Bind(SchemaSet set)
    {
        base.Bind(set);
        foreach (var e in Enumerants)
            foreach (var a in e.Annotations) a.Bind(set);
    }

    /// <summary>Enumerants by ordinal (index = wire value).</summary>
    public IReadOnlyList<EnumerantSchema> Enumerants { get; }

    /// <summary>Enumerant by name, case-insensitive.</summary>
    public bool TryGetEnumerant(string name, out EnumerantSchema enumerant)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out enumerant!);
    }

    /// <summary>Enumerant by name, case-insensitive; <see cref="CapnpSchemaException"/> if there is none.</summary>
    public EnumerantSchema GetEnumerant(string name) =>
        TryGetEnumerant(name, out var e) ? e : throw new CapnpSchemaException($"Enum {DisplayName} has no enumerant '{name}'.");

    /// <summary>Name of the enumerant with the given wire value; null for values the schema does not know.</summary>
    public string? GetName(ushort ordinal) => ordinal < Enumerants.Count ? Enumerants[ordinal].Name : null;
}

/// <summary>A method of an <see cref="InterfaceSchema"/> (represented minimally).</summary>
public sealed record MethodSchema(string Name, ushort CodeOrder, ulong ParamStructTypeId, ulong ResultStructTypeId);

/// <summary>An interface node (represented minimally: CapMap does not do RPC).</summary>
public sealed class InterfaceSchema : NodeSchema
{
    internal InterfaceSchema(ulong id, string displayName, int prefix, ulong scopeId, IReadOnlyList<NestedNodeInfo> nested,
        IReadOnlyList<AnnotationSchema> annotations, IReadOnlyList<string> parameters, bool isGeneric,
        IReadOnlyList<MethodSchema> methods, IReadOnlyList<ulong> superclassIds)
        : base(NodeKind.Interface, id, displayName, prefix, scopeId, nested, annotations, parameters, isGeneric)
    {
        Methods = methods;
        SuperclassIds = superclassIds;
    }

    /// <summary>The interface's methods.</summary>
    public IReadOnlyList<MethodSchema> Methods { get; }
    /// <summary>Ids of the interfaces it extends.</summary>
    public IReadOnlyList<ulong> SuperclassIds { get; }
}

/// <summary>A constant node.</summary>
public sealed class ConstSchema : NodeSchema
{
    internal ConstSchema(ulong id, string displayName, int prefix, ulong scopeId, IReadOnlyList<NestedNodeInfo> nested,
        IReadOnlyList<AnnotationSchema> annotations, IReadOnlyList<string> parameters, bool isGeneric,
        TypeSchema type, ValueSchema value)
        : base(NodeKind.Const, id, displayName, prefix, scopeId, nested, annotations, parameters, isGeneric)
    {
        Type = type;
        Value = value;
    }

    /// <summary>The constant's type.</summary>
    public TypeSchema Type { get; }
    /// <summary>The constant's value.</summary>
    public ValueSchema Value { get; }

    internal override void Bind(SchemaSet set)
    {
        base.Bind(set);
        Type.Bind(set);
    }
}

/// <summary>What an annotation declaration may be applied to (<c>targetsFile</c> .. <c>targetsAnnotation</c>).</summary>
[Flags]
public enum AnnotationTargets
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>May annotate a file (<c>targetsFile</c>).</summary>
    File = 1 << 0,

    /// <summary>May annotate a const (<c>targetsConst</c>).</summary>
    Const = 1 << 1,

    /// <summary>May annotate an enum (<c>targetsEnum</c>).</summary>
    Enum = 1 << 2,

    /// <summary>May annotate an enumerant (<c>targetsEnumerant</c>).</summary>
    Enumerant = 1 << 3,

    /// <summary>May annotate a struct (<c>targetsStruct</c>).</summary>
    Struct = 1 << 4,

    /// <summary>May annotate a field (<c>targetsField</c>).</summary>
    Field = 1 << 5,

    /// <summary>May annotate an union (<c>targetsUnion</c>).</summary>
    Union = 1 << 6,

    /// <summary>May annotate a group (<c>targetsGroup</c>).</summary>
    Group = 1 << 7,

    /// <summary>May annotate an interface (<c>targetsInterface</c>).</summary>
    Interface = 1 << 8,

    /// <summary>May annotate a method (<c>targetsMethod</c>).</summary>
    Method = 1 << 9,

    /// <summary>May annotate a param (<c>targetsParam</c>).</summary>
    Param = 1 << 10,

    /// <summary>May annotate an annotation (<c>targetsAnnotation</c>).</summary>
    Annotation = 1 << 11,
}

/// <summary>An annotation declaration node (<c>annotation name(targets) :Type;</c>).</summary>
public sealed class AnnotationDeclarationSchema : NodeSchema
{
    internal AnnotationDeclarationSchema(ulong id, string displayName, int prefix, ulong scopeId, IReadOnlyList<NestedNodeInfo> nested,
        IReadOnlyList<AnnotationSchema> annotations, IReadOnlyList<string> parameters, bool isGeneric,
        TypeSchema type, AnnotationTargets targets)
        : base(NodeKind.Annotation, id, displayName, prefix, scopeId, nested, annotations, parameters, isGeneric)
    {
        Type = type;
        Targets = targets;
    }

    /// <summary>The type of the annotation's value.</summary>
    public TypeSchema Type { get; }
    /// <summary>What the annotation may be applied to.</summary>
    public AnnotationTargets Targets { get; }

    internal override void Bind(SchemaSet set)
    {
        base.Bind(set);
        Type.Bind(set);
    }
}

/// <summary>An annotation applied to a node, field or enumerant.</summary>
public sealed class AnnotationSchema
{
    internal AnnotationSchema(ulong id, ValueSchema value)
    {
        Id = id;
        Value = value;
    }

    /// <summary>Id of the annotation's declaration node.</summary>
    public ulong Id { get; }

    /// <summary>The declaration, or null if the request did not include it.</summary>
    public AnnotationDeclarationSchema? Declaration { get; private set; }

    /// <summary>The declaration's short name, or null if it is not known.</summary>
    public string? Name => Declaration?.ShortName;

    /// <summary>The value given to the annotation.</summary>
    public ValueSchema Value { get; }

    internal void Bind(SchemaSet set) => Declaration = set.TryGetById(Id) as AnnotationDeclarationSchema;

    /// <inheritdoc />
    public override string ToString() => $"${Name ?? $"0x{Id:x16}"}({Value})";
}
