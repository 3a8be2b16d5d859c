namespace CapMap.Schema;

/// <summary>
/// All nodes of a <c>CodeGeneratorRequest</c> (the output of <c>capnp compile -o-</c>): the requested files'
/// nodes and those of every file they import. Immutable and safe to share between threads once loaded.
/// </summary>
public sealed class SchemaSet
{
    private readonly Dictionary<ulong, NodeSchema> _byId;

    internal SchemaSet(Dictionary<ulong, NodeSchema> byId, IReadOnlyList<NodeSchema> nodes,
        IReadOnlyList<RequestedFileSchema> requestedFiles, Version? capnpVersion)
    {
        _byId = byId;
        Nodes = nodes;
        RequestedFiles = requestedFiles;
        CapnpVersion = capnpVersion;
    }

    /// <summary>Reads a <c>CodeGeneratorRequest</c> from its stream-framed bytes (what <c>capnp compile -o-</c> writes).</summary>
    /// <exception cref="CapnpSchemaException">The bytes are not a valid request.</exception>
    public static SchemaSet Load(byte[] codeGeneratorRequest) => SchemaLoader.Load(codeGeneratorRequest);

    /// <summary>Reads a <c>CodeGeneratorRequest</c> nobody vouches for (one a message file carries) within <paramref name="budget"/>.</summary>
    /// <exception cref="SchemaBudgetException">The request goes past the budget.</exception>
    /// <exception cref="CapnpSchemaException">The bytes are not a valid request.</exception>
    public static SchemaSet Load(byte[] codeGeneratorRequest, SchemaBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return SchemaLoader.Load(codeGeneratorRequest, budget);
    }

    /// <summary>Reads a <c>CodeGeneratorRequest</c> from a file (e.g. <c>capnp compile -o- x.capnp &gt; x.bin</c>).</summary>
    /// <exception cref="CapnpSchemaException">The file is not a valid request.</exception>
    public static SchemaSet LoadFile(string path) => SchemaLoader.LoadFile(path);

    /// <summary>All nodes, in the order of the request.</summary>
    public IReadOnlyList<NodeSchema> Nodes { get; }

    /// <summary>The files <c>capnp compile</c> was run on.</summary>
    public IReadOnlyList<RequestedFileSchema> RequestedFiles { get; }

    /// <summary>Version of the compiler that wrote the request, if it said.</summary>
    public Version? CapnpVersion { get; }

    /// <summary>All struct nodes that are not groups.</summary>
    public IEnumerable<StructSchema> Structs => Nodes.OfType<StructSchema>().Where(s => !s.IsGroup);

    /// <summary>Every enum of the request, by id.</summary>
    public IEnumerable<EnumSchema> Enums => Nodes.OfType<EnumSchema>();

    /// <summary>Finds the node with id <paramref name="id"/>.</summary>
    public NodeSchema? TryGetById(ulong id) => _byId.TryGetValue(id, out var n) ? n : null;

    /// <summary>The node with id <paramref name="id"/>; throws <see cref="KeyNotFoundException"/> when there is none.</summary>
    public NodeSchema GetById(ulong id) =>
        TryGetById(id) ?? throw new CapnpSchemaException($"The schema has no node 0x{id:x16}.");

    /// <summary>
    /// Finds a node by name. Accepted forms, tried in this order: the display name (<c>interop.capnp:AllTypes.Inner</c>,
    /// or a file name), the dotted name inside its file (<c>AllTypes.Inner</c>), the short name (<c>Inner</c>;
    /// groups and files are not found by short name). Each form is tried case-sensitively, then all of them
    /// case-insensitively.
    /// </summary>
    /// <returns>False if nothing matches.</returns>
    /// <exception cref="AmbiguousSchemaNameException">The first form that matches matches more than one node.</exception>
    public bool TryFind(string name, out NodeSchema node)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
        {
            for (int form = 0; form < 3; form++)
            {
                var matches = Nodes.Where(n => form switch
                {
                    0 => string.Equals(n.DisplayName, name, comparison),
                    1 => n.Kind != NodeKind.File && string.Equals(n.NestedName, name, comparison),
                    _ => n.Kind != NodeKind.File && n is not StructSchema { IsGroup: true } && string.Equals(n.ShortName, name, comparison),
                }).ToList();
                if (matches.Count == 1)
                {
                    node = matches[0];
                    return true;
                }
                if (matches.Count > 1)
                    throw new AmbiguousSchemaNameException(name, matches.Select(m => m.DisplayName).ToArray());
            }
        }
        node = null!;
        return false;
    }

    /// <summary>Finds a node by name (see <see cref="TryFind"/>).</summary>
    /// <exception cref="CapnpSchemaException">No node matches (or, as <see cref="AmbiguousSchemaNameException"/>, several do).</exception>
    public NodeSchema Find(string name) =>
        TryFind(name, out var n) ? n : throw new CapnpSchemaException($"The schema has no node named '{name}'.");

    /// <summary>Finds a struct (or group) by name (see <see cref="TryFind"/>).</summary>
    public StructSchema GetStruct(string name) => Find(name) as StructSchema
        ?? throw new CapnpSchemaException($"'{name}' is not a struct in this schema.");

    /// <summary>Finds an enum by name (see <see cref="TryFind"/>).</summary>
    public EnumSchema GetEnum(string name) => Find(name) as EnumSchema
        ?? throw new CapnpSchemaException($"'{name}' is not an enum in this schema.");

    /// <summary>Finds a constant by name (see <see cref="TryFind"/>).</summary>
    public ConstSchema GetConst(string name) => Find(name) as ConstSchema
        ?? throw new CapnpSchemaException($"'{name}' is not a constant in this schema.");
}
