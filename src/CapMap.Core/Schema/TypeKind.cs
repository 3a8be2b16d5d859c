namespace CapMap.Schema;

/// <summary>
/// The kind of a schema type. The numeric values are the tags of the <c>Type</c> union in schema.capnp
/// (and of the <c>Value</c> union, which uses the same order).
/// </summary>
public enum TypeKind : ushort
{
    /// <summary>No value (a union member that only marks a choice).</summary>
    Void = 0,

    /// <summary>One bit.</summary>
    Bool = 1,

    /// <summary>A 8-bit signed integer.</summary>
    Int8 = 2,

    /// <summary>A 16-bit signed integer.</summary>
    Int16 = 3,

    /// <summary>A 32-bit signed integer.</summary>
    Int32 = 4,

    /// <summary>A 64-bit signed integer.</summary>
    Int64 = 5,

    /// <summary>A 8-bit unsigned integer.</summary>
    UInt8 = 6,

    /// <summary>A 16-bit unsigned integer.</summary>
    UInt16 = 7,

    /// <summary>A 32-bit unsigned integer.</summary>
    UInt32 = 8,

    /// <summary>A 64-bit unsigned integer.</summary>
    UInt64 = 9,

    /// <summary>A 32-bit IEEE float.</summary>
    Float32 = 10,

    /// <summary>A 64-bit IEEE float.</summary>
    Float64 = 11,

    /// <summary>UTF-8 text with a NUL terminator, behind a pointer.</summary>
    Text = 12,

    /// <summary>Bytes, behind a pointer.</summary>
    Data = 13,

    /// <summary>A list; see <see cref="TypeSchema.ElementType"/>.</summary>
    List = 14,

    /// <summary>A 16-bit enumerant; see <see cref="TypeSchema.EnumType"/>.</summary>
    Enum = 15,

    /// <summary>A struct, behind a pointer; see <see cref="TypeSchema.StructType"/>.</summary>
    Struct = 16,

    /// <summary>A capability (CapMap writes none).</summary>
    Interface = 17,

    /// <summary>Any pointer (CapMap writes none).</summary>
    AnyPointer = 18,
}
