using CapMap.Wire;

namespace CapMap.Schema;

/// <summary>
/// A struct node, or a group (a struct node with <see cref="IsGroup"/> set that shares its parent's layout).
/// </summary>
public sealed class StructSchema : NodeSchema
{
    private readonly Dictionary<string, FieldSchema> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<ushort, FieldSchema> _byDiscriminant = new();

    internal StructSchema(ulong id, string displayName, int prefix, ulong scopeId, IReadOnlyList<NestedNodeInfo> nested,
        IReadOnlyList<AnnotationSchema> annotations, IReadOnlyList<string> parameters, bool isGeneric,
        int dataWordCount, int pointerCount, ElementSize preferredListEncoding, bool isGroup,
        int discriminantCount, uint discriminantOffset, IReadOnlyList<FieldSchema> fieldsInSchemaOrder)
        : base(NodeKind.Struct, id, displayName, prefix, scopeId, nested, annotations, parameters, isGeneric)
    {
        DataWordCount = dataWordCount;
        PointerCount = pointerCount;
        PreferredListEncoding = preferredListEncoding;
        IsGroup = isGroup;
        DiscriminantCount = discriminantCount;
        DiscriminantOffset = discriminantOffset;
        FieldsInSchemaOrder = fieldsInSchemaOrder;
        Fields = fieldsInSchemaOrder.OrderBy(f => f.CodeOrder).ThenBy(f => f.Index).ToArray();
        UnionFields = fieldsInSchemaOrder.Where(f => f.IsInUnion).OrderBy(f => f.DiscriminantValue).ToArray();
        NonUnionFields = Fields.Where(f => !f.IsInUnion).ToArray();
        foreach (var f in fieldsInSchemaOrder)
        {
            if (!_byName.TryAdd(f.Name, f))
                throw new CapnpSchemaException($"Struct {displayName} has two fields named '{f.Name}'.");
            if (f.IsInUnion && !_byDiscriminant.TryAdd(f.DiscriminantValue, f))
                throw new CapnpSchemaException($"Struct {displayName} has two union members with discriminant {f.DiscriminantValue}.");
            f.DeclaringStruct = this;
        }
        if (UnionFields.Count != discriminantCount)
            throw new CapnpSchemaException(
                $"Struct {displayName} declares discriminantCount {discriminantCount} but has {UnionFields.Count} union members.");
    }

    /// <summary>Words in the data section (for a group: of the enclosing struct).</summary>
    public int DataWordCount { get; }

    /// <summary>Pointers in the pointer section (for a group: of the enclosing struct).</summary>
    public int PointerCount { get; }

    /// <summary>The element size a list of this struct should use.</summary>
    public ElementSize PreferredListEncoding { get; }

    /// <summary>True for a group node: its fields live in the sections of the struct that holds it.</summary>
    public bool IsGroup { get; }

    /// <summary>Number of members of this scope's unnamed union; 0 if there is no union.</summary>
    public int DiscriminantCount { get; }

    /// <summary>True if this scope has a union (<see cref="DiscriminantCount"/> &gt; 0).</summary>
    public bool HasUnion => DiscriminantCount > 0;

    /// <summary>Offset of the 16-bit union discriminant in the data section, in 16-bit units.</summary>
    public uint DiscriminantOffset { get; }

    /// <summary>Fields ordered by code order (declaration order in the .capnp file).</summary>
    public IReadOnlyList<FieldSchema> Fields { get; }

    /// <summary>Fields in the order of the request (by ordinal, the order that stays stable as the schema evolves).</summary>
    public IReadOnlyList<FieldSchema> FieldsInSchemaOrder { get; }

    /// <summary>Members of this scope's union, ordered by discriminant value.</summary>
    public IReadOnlyList<FieldSchema> UnionFields { get; }

    /// <summary>Fields that are not union members, by code order.</summary>
    public IReadOnlyList<FieldSchema> NonUnionFields { get; }

    /// <summary>Field by name, case-insensitive.</summary>
    public bool TryGetField(string name, out FieldSchema field)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out field!);
    }

    /// <summary>Field by name, case-insensitive; <see cref="CapnpSchemaException"/> if there is none.</summary>
    public FieldSchema GetField(string name) =>
        TryGetField(name, out var f) ? f : throw new CapnpSchemaException($"Struct {DisplayName} has no field '{name}'.");

    /// <summary>The union member with the given discriminant value, or null.</summary>
    public FieldSchema? GetUnionField(ushort discriminantValue) =>
        _byDiscriminant.TryGetValue(discriminantValue, out var f) ? f : null;

    internal override void Bind(SchemaSet set)
    {
        base.Bind(set);
        foreach (var f in FieldsInSchemaOrder) f.Bind(set, this);
    }
}
