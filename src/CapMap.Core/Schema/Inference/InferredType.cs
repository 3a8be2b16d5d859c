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
