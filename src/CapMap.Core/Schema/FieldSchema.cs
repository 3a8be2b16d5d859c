namespace CapMap.Schema;

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
