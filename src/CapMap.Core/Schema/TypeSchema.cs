using System.Text;

namespace CapMap.Schema;

/// <summary>
/// A field, list element, constant or annotation type. Struct, enum and interface types are resolved to
/// their nodes when the <see cref="SchemaSet"/> is loaded (the request lists nodes in no particular order,
/// so references are collected by id first and bound after all nodes have been read).
/// </summary>
public sealed class TypeSchema
{
    /// <summary>The shared <see cref="TypeKind.Void"/> type.</summary>
    public static readonly TypeSchema Void = new(TypeKind.Void);
    /// <summary>The shared <see cref="TypeKind.Bool"/> type.</summary>
    public static readonly TypeSchema Bool = new(TypeKind.Bool);
    /// <summary>The shared <see cref="TypeKind.Int8"/> type.</summary>
    public static readonly TypeSchema Int8 = new(TypeKind.Int8);
    /// <summary>The shared <see cref="TypeKind.Int16"/> type.</summary>
    public static readonly TypeSchema Int16 = new(TypeKind.Int16);
    /// <summary>The shared <see cref="TypeKind.Int32"/> type.</summary>
    public static readonly TypeSchema Int32 = new(TypeKind.Int32);
    /// <summary>The shared <see cref="TypeKind.Int64"/> type.</summary>
    public static readonly TypeSchema Int64 = new(TypeKind.Int64);
    /// <summary>The shared <see cref="TypeKind.UInt8"/> type.</summary>
    public static readonly TypeSchema UInt8 = new(TypeKind.UInt8);
    /// <summary>The shared <see cref="TypeKind.UInt16"/> type.</summary>
    public static readonly TypeSchema UInt16 = new(TypeKind.UInt16);
    /// <summary>The shared <see cref="TypeKind.UInt32"/> type.</summary>
    public static readonly TypeSchema UInt32 = new(TypeKind.UInt32);
    /// <summary>The shared <see cref="TypeKind.UInt64"/> type.</summary>
    public static readonly TypeSchema UInt64 = new(TypeKind.UInt64);
    /// <summary>The shared <see cref="TypeKind.Float32"/> type.</summary>
    public static readonly TypeSchema Float32 = new(TypeKind.Float32);
    /// <summary>The shared <see cref="TypeKind.Float64"/> type.</summary>
    public static readonly TypeSchema Float64 = new(TypeKind.Float64);
    /// <summary>The shared <see cref="TypeKind.Text"/> type.</summary>
    public static readonly TypeSchema Text = new(TypeKind.Text);
    /// <summary>The shared <see cref="TypeKind.Data"/> type.</summary>
    public static readonly TypeSchema Data = new(TypeKind.Data);
    /// <summary>The shared <see cref="TypeKind.AnyPointer"/> type.</summary>
    public static readonly TypeSchema AnyPointer = new(TypeKind.AnyPointer);

    private NodeSchema? _node;

    private TypeSchema(TypeKind kind) { Kind = kind; }

    private TypeSchema(TypeKind kind, TypeSchema? elementType, ulong typeId)
    {
        Kind = kind;
        ElementType = elementType;
        TypeId = typeId;
    }

    internal static TypeSchema Primitive(TypeKind kind) => kind switch
    {
        TypeKind.Void => Void, TypeKind.Bool => Bool,
        TypeKind.Int8 => Int8, TypeKind.Int16 => Int16, TypeKind.Int32 => Int32, TypeKind.Int64 => Int64,
        TypeKind.UInt8 => UInt8, TypeKind.UInt16 => UInt16, TypeKind.UInt32 => UInt32, TypeKind.UInt64 => UInt64,
        TypeKind.Float32 => Float32, TypeKind.Float64 => Float64,
        TypeKind.Text => Text, TypeKind.Data => Data, TypeKind.AnyPointer => AnyPointer,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a primitive type kind"),
    };

    /// <summary>A <c>List(elementType)</c>.</summary>
    public static TypeSchema ListOf(TypeSchema elementType)
    {
        ArgumentNullException.ThrowIfNull(elementType);
        return new TypeSchema(TypeKind.List, elementType, 0);
    }

    /// <summary>A reference to the struct with the given id (bound during load).</summary>
    internal static TypeSchema Unresolved(TypeKind kind, ulong typeId) => new(kind, null, typeId);

    /// <summary>A struct type already bound to its node (used for group fields).</summary>
    internal static TypeSchema ForStruct(StructSchema schema)
    {
        var t = new TypeSchema(TypeKind.Struct, null, schema.Id);
        t._node = schema;
        return t;
    }

    /// <summary>The kind of type.</summary>
    public TypeKind Kind { get; }

    /// <summary>Element type of a <see cref="TypeKind.List"/>; null otherwise.</summary>
    public TypeSchema? ElementType { get; }

    /// <summary>Node id of an enum, struct or interface type; 0 otherwise.</summary>
    public ulong TypeId { get; }

    /// <summary>The struct node of a <see cref="TypeKind.Struct"/> type; null otherwise.</summary>
    public StructSchema? StructType => _node as StructSchema;

    /// <summary>The enum node of a <see cref="TypeKind.Enum"/> type; null otherwise.</summary>
    public EnumSchema? EnumType => _node as EnumSchema;

    /// <summary>The interface node of a <see cref="TypeKind.Interface"/> type (null if the request did not include it).</summary>
    public InterfaceSchema? InterfaceType => _node as InterfaceSchema;

    /// <summary>True for Text, Data, List, Struct, Interface and AnyPointer: stored in the pointer section.</summary>
    public bool IsPointer => Kind >= TypeKind.Text && Kind != TypeKind.Enum;

    /// <summary>Size in bits of a data-section value (0 for Void and for pointer types).</summary>
    public int DataBits => Kind switch
    {
        TypeKind.Bool => 1,
        TypeKind.Int8 or TypeKind.UInt8 => 8,
        TypeKind.Int16 or TypeKind.UInt16 or TypeKind.Enum => 16,
        TypeKind.Int32 or TypeKind.UInt32 or TypeKind.Float32 => 32,
        TypeKind.Int64 or TypeKind.UInt64 or TypeKind.Float64 => 64,
        _ => 0,
    };

    internal void Bind(SchemaSet set)
    {
        switch (Kind)
        {
            case TypeKind.List:
                ElementType!.Bind(set);
                break;
            case TypeKind.Struct:
                if (_node is null)
                    _node = set.TryGetById(TypeId) as StructSchema
                        ?? throw new CapnpSchemaException($"Type refers to struct 0x{TypeId:x16}, which is not a struct node of this request.");
                break;
            case TypeKind.Enum:
                _node = set.TryGetById(TypeId) as EnumSchema
                    ?? throw new CapnpSchemaException($"Type refers to enum 0x{TypeId:x16}, which is not an enum node of this request.");
                break;
            case TypeKind.Interface:
                var n = set.TryGetById(TypeId);
                if (n is not null and not InterfaceSchema)
                    throw new CapnpSchemaException($"Type refers to interface 0x{TypeId:x16}, which is a {n.Kind} node.");
                _node = n;
                break;
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        Append(sb);
        return sb.ToString();
    }

    private void Append(StringBuilder sb)
    {
        switch (Kind)
        {
            case TypeKind.List:
                sb.Append("List(");
                ElementType!.Append(sb);
                sb.Append(')');
                break;
            case TypeKind.Struct or TypeKind.Enum or TypeKind.Interface:
                sb.Append(_node?.NestedName ?? $"0x{TypeId:x16}");
                break;
            default:
                sb.Append(Kind.ToString());
                break;
        }
    }
}
