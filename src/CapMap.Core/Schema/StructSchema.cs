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

/// <summary>Whether a field is a slot (stores a value) or a group.</summary>
public enum FieldKind : ushort
{
    /// <summary>An ordinary field stored at an offset of its struct.</summary>
    Slot = 0,
    /// <summary>A group: fields that live in the sections of the enclosing struct.</summary>
    Group = 1,
}

/// <summary>A field of a struct or group.</summary>
public sealed class FieldSchema
{
    /// <summary><c>Field.noDiscriminant</c>: the field is not a union member.</summary>
    public const ushort NoDiscriminant = 0xFFFF;

    private TypeSchema? _type;

    internal FieldSchema(string name, int index, ushort codeOrder, ushort discriminantValue, ushort? explicitOrdinal,
        IReadOnlyList<AnnotationSchema> annotations, FieldKind kind,
        uint offset, TypeSchema? slotType, ValueSchema? defaultValue, bool hadExplicitDefault, ulong groupTypeId)
    {
        Name = name;
        Index = index;
        CodeOrder = codeOrder;
        DiscriminantValue = discriminantValue;
        Ordinal = explicitOrdinal;
        Annotations = annotations;
        Kind = kind;
        Offset = offset;
        _type = slotType;
        DefaultValue = defaultValue;
        HadExplicitDefault = hadExplicitDefault;
        GroupTypeId = groupTypeId;
    }

    /// <summary>The field's name as written in the schema.</summary>
    public string Name { get; }

    /// <summary>Position in the struct's field list in the request (<see cref="StructSchema.FieldsInSchemaOrder"/>).</summary>
    public int Index { get; }

    /// <summary>Position in the source (declaration order).</summary>
    public ushort CodeOrder { get; }

    /// <summary>Union discriminant value, or <see cref="NoDiscriminant"/> (0xFFFF) when the field is not in a union.</summary>
    public ushort DiscriminantValue { get; }

    /// <summary>True for a member of the struct's (or group's) union.</summary>
    public bool IsInUnion => DiscriminantValue != NoDiscriminant;

    /// <summary>The explicit ordinal (<c>@n</c>); null for groups and named unions, which have none.</summary>
    public ushort? Ordinal { get; }

    /// <summary>Annotations applied to the field.</summary>
    public IReadOnlyList<AnnotationSchema> Annotations { get; }

    /// <summary>Slot or group.</summary>
    public FieldKind Kind { get; }

    /// <summary>True for a group (<see cref="FieldKind.Group"/>).</summary>
    public bool IsGroup => Kind == FieldKind.Group;

    /// <summary>Slot offset in units of the field's own size (bits for Bool, pointer index for pointer types); 0 for groups.</summary>
    public uint Offset { get; }

    /// <summary>
    /// The field's type. For a slot, its declared type; for a group, a <see cref="TypeKind.Struct"/> type whose
    /// <see cref="TypeSchema.StructType"/> is <see cref="GroupType"/> (read it from the same struct as the parent).
    /// </summary>
    public TypeSchema Type => _type ?? throw new InvalidOperationException("The field is not bound to a loaded SchemaSet.");

    /// <summary>The group's struct node (IsGroup); null for slots.</summary>
    public StructSchema? GroupType => IsGroup ? _type?.StructType : null;

    /// <summary>Id of the group's struct node; 0 for slots.</summary>
    public ulong GroupTypeId { get; }

    /// <summary>The slot's default value; null for groups.</summary>
    public ValueSchema? DefaultValue { get; }

    /// <summary>True if the schema gave an explicit default (<c>= value</c>).</summary>
    public bool HadExplicitDefault { get; }

    /// <summary>The struct or group that declares this field.</summary>
    public StructSchema DeclaringStruct { get; internal set; } = null!;

    internal void Bind(SchemaSet set, StructSchema owner)
    {
        foreach (var a in Annotations) a.Bind(set);
        if (Kind == FieldKind.Slot)
        {
            _type!.Bind(set);
            return;
        }
        if (set.TryGetById(GroupTypeId) is not StructSchema { IsGroup: true } group)
            throw new CapnpSchemaException(
                $"Field {owner.DisplayName}.{Name} is a group whose node 0x{GroupTypeId:x16} is missing or not a group.");
        _type = TypeSchema.ForStruct(group);
    }

    /// <inheritdoc />
    public override string ToString() => IsGroup ? $"{Name} :group" : $"{Name} @{Ordinal} :{_type}";
}
