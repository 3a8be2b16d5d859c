namespace CapMap.Schema.Inference;

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

    /// <summary>The value of the struct's discriminant when this union member holds the value; <see cref="FieldSchema.NoDiscriminant"/> for a field outside a union.</summary>
    public ushort DiscriminantValue { get; internal set; } = FieldSchema.NoDiscriminant;

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

    /// <summary>
    /// The companion Bool field that is true when the object this field belongs to did not have the property at all
    /// (as against having it null); null if the field has none. Only fields of a property some object lacked have one.
    /// </summary>
    public InferredField? AbsentFlag { get; internal set; }

    /// <summary>For an absence flag (stored as <c>$absentFlagFor</c>), the field whose absence it records; null otherwise.</summary>
    public InferredField? FlagsAbsenceOf { get; internal set; }

    /// <summary>True for a null or absence flag: a companion of another field, never a property of its own.</summary>
    public bool IsFlag => FlagsNullOf is not null || FlagsAbsenceOf is not null;

    /// <summary>A new Bool field recording that the property of <paramref name="target"/> was absent (linked both ways; named by the struct it joins).</summary>
    /// <exception cref="ArgumentException">The target already has an absence flag, or is a flag itself.</exception>
    public static InferredField AbsentFlagOf(InferredField target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.AbsentFlag is not null) throw new ArgumentException($"Field '{target.Name}' already has an absence flag.", nameof(target));
        if (target.IsFlag) throw new ArgumentException($"Field '{target.Name}' is a flag, not a property.", nameof(target));
        var flag = new InferredField(target.Name + " IsAbsent", InferredType.Of(TypeKind.Bool)) { FlagsAbsenceOf = target };
        target.AbsentFlag = flag;
        return flag;
    }

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
