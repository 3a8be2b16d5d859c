namespace CapMap.Schema;

/// <summary>
/// A value from the schema: a field default, a constant, or an annotation's argument.
/// <para>
/// <see cref="Value"/> holds: Void → null; Bool, Int8..UInt64, Float32/64 → the exact .NET type
/// (bool, sbyte, short, int, long, byte, ushort, uint, ulong, float, double); Text → string; Data → byte[];
/// Enum → ushort (the ordinal). Struct and List values are <b>materialized</b> with the schema when the set is
/// loaded: a struct as a <see cref="StructValue"/>, a list as an <c>IReadOnlyList&lt;object?&gt;</c> whose elements
/// follow the same rules (see <see cref="DynamicValueReader"/>). A null pointer gives a null <see cref="Value"/> and
/// <see cref="IsNull"/> true. AnyPointer and Interface values are not materialized (only <see cref="IsNull"/> is
/// known); nor are struct/list annotation arguments whose declaration is not in the request.
/// </para>
/// </summary>
public sealed class ValueSchema
{
    internal ValueSchema(TypeKind kind, object? value, bool isNull)
    {
        Kind = kind;
        Value = value;
        IsNull = isNull;
        IsMaterialized = kind is not (TypeKind.List or TypeKind.Struct or TypeKind.AnyPointer or TypeKind.Interface) || isNull;
    }

    /// <summary>Which member of schema.capnp's <c>Value</c> union this is.</summary>
    public TypeKind Kind { get; }

    /// <summary>The value (see the type's remarks for the .NET representation).</summary>
    public object? Value { get; private set; }

    /// <summary>For pointer kinds (Text, Data, List, Struct, AnyPointer): the value is a null pointer. False for data kinds.</summary>
    public bool IsNull { get; }

    /// <summary>False for a non-null AnyPointer/Interface value, or a struct/list value that could not be decoded for lack of a type.</summary>
    public bool IsMaterialized { get; private set; }

    internal void SetMaterialized(object? value)
    {
        Value = value;
        IsMaterialized = true;
    }

    /// <inheritdoc />
    public override string ToString() => Value is null
        ? IsNull ? "null" : Kind == TypeKind.Void ? "void" : $"<{Kind}>"
        : StructValue.Format(Value);
}
