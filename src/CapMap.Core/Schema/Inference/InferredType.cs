namespace CapMap.Schema.Inference;

/// <summary>
/// A Cap'n Proto type in an <see cref="InferredSchema"/>: a primitive, Text, Data, <c>List(T)</c>, or a reference
/// to an <see cref="InferredStruct"/> or <see cref="InferredEnum"/> of the same schema. Immutable.
/// </summary>
public sealed class InferredType : IEquatable<InferredType>
{
    private InferredType(TypeKind kind, InferredType? element, InferredStruct? structType, InferredEnum? enumType)
    {
        Kind = kind;
        Element = element;
        Struct = structType;
        Enum = enumType;
    }

    /// <summary>A primitive, Text or Data type.</summary>
    /// <exception cref="ArgumentOutOfRangeException">List, Struct, Enum, Interface and AnyPointer need their own factory or are not supported.</exception>
    public static InferredType Of(TypeKind kind) => kind is TypeKind.List or TypeKind.Struct or TypeKind.Enum
        or TypeKind.Interface or TypeKind.AnyPointer or > TypeKind.AnyPointer
        ? throw new ArgumentOutOfRangeException(nameof(kind), kind, "Use ListOf, StructOf or EnumOf; interfaces and AnyPointer are not inferred.")
        : new InferredType(kind, null, null, null);

    /// <summary><c>List(element)</c>.</summary>
    public static InferredType ListOf(InferredType element) =>
        new(TypeKind.List, element ?? throw new ArgumentNullException(nameof(element)), null, null);

    /// <summary>A struct of the same schema.</summary>
    public static InferredType StructOf(InferredStruct structType) =>
        new(TypeKind.Struct, null, structType ?? throw new ArgumentNullException(nameof(structType)), null);

    /// <summary>An enum of the same schema.</summary>
    public static InferredType EnumOf(InferredEnum enumType) =>
        new(TypeKind.Enum, null, null, enumType ?? throw new ArgumentNullException(nameof(enumType)));

    /// <summary>The kind (the tag of schema.capnp's <c>Type</c> union).</summary>
    public TypeKind Kind { get; }

    /// <summary>Element type of a List; null otherwise.</summary>
    public InferredType? Element { get; }

    /// <summary>The struct of a Struct type; null otherwise.</summary>
    public InferredStruct? Struct { get; }

    /// <summary>The enum of an Enum type; null otherwise.</summary>
    public InferredEnum? Enum { get; }

    /// <summary>True for Text, Data, List and Struct: the value lives in the pointer section.</summary>
    public bool IsPointer => Kind is TypeKind.Text or TypeKind.Data or TypeKind.List or TypeKind.Struct;

    /// <summary>The type as written in a .capnp file (struct and enum by their identifier).</summary>
    public override string ToString() => Kind switch
    {
        TypeKind.List => $"List({Element})",
        TypeKind.Struct => Struct!.Identifier ?? Struct.Name,
        TypeKind.Enum => Enum!.Identifier ?? Enum.Name,
        _ => Kind.ToString(),
    };

    /// <summary>Same kind, same element, same struct or enum instance.</summary>
    public bool Equals(InferredType? other) => other is not null && Kind == other.Kind
        && ReferenceEquals(Struct, other.Struct) && ReferenceEquals(Enum, other.Enum) && Equals(Element, other.Element);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as InferredType);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Element, Struct, Enum);
}

/// <summary>A field of an <see cref="InferredStruct"/>: its original name, Cap'n Proto type and .NET origin.</summary>
public sealed class InferredField
{
    /// <summary>Creates a field; its identifier and offset are assigned by the struct it is given to.</summary>
    /// <param name="name">The original property name (any string, e.g. <c>"Working Set"</c>).</param>
    /// <param name="type">The Cap'n Proto type.</param>
    /// <param name="clr">What the values were in .NET; null for a plain Cap'n Proto value.</param>
    public InferredField(string name, InferredType type, ClrTypeInfo? clr = null)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Type = type ?? throw new ArgumentNullException(nameof(type));
        Clr = clr;
    }

    /// <summary>
    /// The original property name, kept exactly (stored as <c>$originalName</c> where it differs from <see cref="Identifier"/>).
    /// A null flag has no property of its own: its name is its identifier, given by the struct.
    /// </summary>
    public string Name { get; internal set; }

    /// <summary>The Cap'n Proto field name: a valid identifier, unique (case-insensitively) in its struct.</summary>
    public string Identifier { get; internal set; } = "";

    /// <summary>The Cap'n Proto type.</summary>
    public InferredType Type { get; }

    /// <summary>What the values were in .NET, or null.</summary>
    public ClrTypeInfo? Clr { get; }

    /// <summary>The ordinal (<c>@n</c>): the position in the struct.</summary>
    public int Ordinal { get; internal set; }

    /// <summary>Offset in units of the field's own size (bits for Bool, pointer index for pointers), as <c>capnp compile</c> assigns it.</summary>
    public uint Offset { get; internal set; }

    /// <summary>The struct that owns this field.</summary>
    public InferredStruct DeclaringStruct { get; internal set; } = null!;

    /// <summary>
    /// The companion Bool field that is true when this field's value was null or missing (the field itself then
    /// holds 0); null if the field has none. Only data-section fields of inferred structs have one: a pointer field
    /// is null by itself.
    /// </summary>
    public InferredField? NullFlag { get; internal set; }

    /// <summary>For a null flag (stored as <c>$nullFlagFor</c>), the field whose nulls it records; null for a regular field.</summary>
    public InferredField? FlagsNullOf { get; internal set; }

    /// <summary>True if values of this type live in the data section (Bool, numbers, enums), where null cannot be told from 0.</summary>
    public static bool IsDataKind(TypeKind kind) => CapnpStructLayout.SizeOf(kind) is not (LayoutSize.Pointer or LayoutSize.Void);

    /// <summary>A new Bool field recording the nulls of <paramref name="target"/> (linked both ways; named by the struct it joins).</summary>
    /// <exception cref="ArgumentException">The target already has a null flag, or its values are not in the data section.</exception>
    public static InferredField NullFlagOf(InferredField target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.NullFlag is not null) throw new ArgumentException($"Field '{target.Name}' already has a null flag.", nameof(target));
        if (!IsDataKind(target.Type.Kind)) throw new ArgumentException($"Field '{target.Name}' is a {target.Type.Kind}, which is null by itself.", nameof(target));
        var flag = new InferredField(target.Name + " IsNull", InferredType.Of(TypeKind.Bool)) { FlagsNullOf = target };
        target.NullFlag = flag;
        return flag;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Identifier} @{Ordinal} :{Type}";
}

/// <summary>An enum of an <see cref="InferredSchema"/> (a Cap'n Proto enum, for schemas given as field lists).</summary>
public sealed class InferredEnum
{
    /// <summary>Creates an enum; enumerant identifiers are made valid and unique like field names.</summary>
    public InferredEnum(string name, IEnumerable<string> enumerants)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Enumerants = (enumerants ?? throw new ArgumentNullException(nameof(enumerants))).ToArray();
        if (Enumerants.Count == 0) throw new ArgumentException("An enum needs at least one enumerant.", nameof(enumerants));
        EnumerantIdentifiers = CapnpIdentifiers.MakeUnique(Enumerants, CapnpIdentifiers.ToMemberIdentifier);
    }

    /// <summary>The original name.</summary>
    public string Name { get; }

    /// <summary>The original enumerant names, in ordinal order.</summary>
    public IReadOnlyList<string> Enumerants { get; }

    /// <summary>The enumerants' Cap'n Proto names.</summary>
    public IReadOnlyList<string> EnumerantIdentifiers { get; }

    /// <summary>The Cap'n Proto type name, assigned by the schema.</summary>
    public string Identifier { get; internal set; } = "";

    /// <summary>The node id, assigned by the schema.</summary>
    public ulong Id { get; internal set; }
}
