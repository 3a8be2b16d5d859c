namespace CapMap.Schema;

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
