using System.Globalization;
using System.Numerics;

namespace CapMap.Schema.Inference.TypeRows;

/// <summary>
/// One row of the type table: everything CapMap knows about one .NET type, in one place. Which Cap'n Proto type
/// it infers to, how a value is stored in it and read back, its text form, whether it is a plain value (a
/// scalar, never read by its properties) and how inference widens it when values of several types meet.
/// Adding a .NET type is one subclass and one line in <see cref="ClrTypeTable"/>'s list
/// (docs/object-conversion.md, "Schema inference and the type table").
/// </summary>
/// <remarks>
/// Codecs consult a row once per field, when they make their plans; what runs per value is the row's
/// <see cref="Store"/> or <see cref="Load"/> of that one type.
/// </remarks>
internal abstract class ClrTypeRow
{
    protected static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The name in the schema's <c>$clrType</c> annotation (the head of a <see cref="ClrTypeInfo"/>'s text form).</summary>
    public abstract string Name { get; }

    /// <summary>The .NET type the row is for (for enums: <see cref="Enum"/>, each enum type is told by its argument).</summary>
    public abstract Type Type { get; }

    /// <summary>The Cap'n Proto type a field of this row's values is given.</summary>
    public abstract TypeKind Capnp { get; }

    /// <summary>True if values of <paramref name="type"/> belong to this row: the type or one derived from it (IPAddress.Loopback's type is a subclass; every enum derives from <see cref="Enum"/>).</summary>
    public bool Covers(Type type) => type == Type || Type.IsAssignableFrom(type);

    /// <summary>
    /// True when <see cref="Load"/> of the stored primitive is the primitive itself (Int32 stored as Int32 ...), so a
    /// reader may read the wire value straight into the result without asking the row.
    /// </summary>
    public virtual bool StoresAsItself => false;

    /// <summary>What the row records of one value (an argument such as the DateTimeKind or the enum's type).</summary>
    public virtual ClrTypeInfo InfoOf(object value) => Info;

    /// <summary>What the row records of a declared type (the element type of an empty <c>T[]</c>).</summary>
    public virtual ClrTypeInfo InfoOf(Type type) => Info;

    /// <summary>The .NET type a recorded value reads back as (for enums: the type the argument names, if loaded).</summary>
    public virtual Type? TypeFor(string? argument) => Type;

    /// <summary>A value of this row's type as the exact primitive, string or byte[] a <see cref="Capnp"/> field takes.</summary>
    public abstract object Store(object value);

    /// <summary>A stored primitive read back as this row's type; throws FormatException, InvalidCastException, OverflowException or ArgumentException when it does not parse.</summary>
    public abstract object Load(object stored, string? argument);

    /// <summary>
    /// For a row stored as Int64 in units of its own (DateTime, TimeSpan): <see cref="Load"/> from the wire's long
    /// without boxing it, prepared once per field; null for the others.
    /// </summary>
    public virtual Func<long, object>? Int64Loader(string? argument) => null;

    /// <summary>The text form of a value of this row (a Text field of a wider type, the explicit schemas' Text rule): round-trip and culture-invariant.</summary>
    public virtual string ToText(object value) =>
        value is IFormattable f ? f.ToString(null, Invariant) : value.ToString() ?? "";

    /// <summary>What the row is as a number, for the widening rules of <see cref="ScalarLattice"/>; null if it is no number.</summary>
    public virtual NumberTraits? Number => null;

    /// <summary>The join of two infos of this row that differ in their argument (DateTimes of two kinds); null: they become text.</summary>
    public virtual ClrTypeInfo? JoinArguments(ClrTypeInfo a, ClrTypeInfo b) => null;

    /// <summary>The info without an argument, shared by every value of the row.</summary>
    public ClrTypeInfo Info => _info ??= new ClrTypeInfo(this);

    private ClrTypeInfo? _info;
}
