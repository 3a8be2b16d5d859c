using System.Globalization;
using System.Numerics;

namespace CapMap.Schema.Inference.TypeRows;

/// <summary>
/// The rows of the .NET integer types: sbyte … ulong as the Cap'n Proto integer of their size, stored as
/// themselves; nint and nuint as Int64 and UInt64 (64-bit on every platform CapMap runs on); Int128 and UInt128,
/// which Cap'n Proto has no type for, as Text in invariant decimal digits (exact, and readable by every Cap'n Proto
/// reader, as Decimal is).
/// </summary>
/// <remarks>
/// Not generic over the integer type on purpose: every row is made when the table is first used, by every export,
/// and a generic row over the runtime's integers (with generic math's static interface members) is code ReadyToRun
/// leaves to the JIT, about 70 methods compiled again in every fresh process. What differs per type is data
/// (<see cref="ClrTypeTable"/>'s list says it) and one parse.
/// </remarks>
internal sealed class IntegerRow : ClrTypeRow
{
    private readonly Func<string, IFormatProvider, object> _parse;

    /// <param name="name">The type's name in schemas' annotations.</param>
    /// <param name="type">The .NET integer type.</param>
    /// <param name="capnp">Its Cap'n Proto type: the integer of its size, Int64/UInt64 for nint/nuint, Text for the 128-bit ones.</param>
    /// <param name="min">Its smallest value.</param>
    /// <param name="max">Its largest value.</param>
    /// <param name="parse">Its invariant parse of decimal digits (how Text and a 64-bit value through decimal come back).</param>
    public IntegerRow(string name, Type type, TypeKind capnp, BigInteger min, BigInteger max, Func<string, IFormatProvider, object> parse)
    {
        Name = name;
        Type = type;
        Capnp = capnp;
        _parse = parse;
        // The wire writer takes exactly the .NET primitive of the field's type; nint, nuint and the 128-bit types are not those.
        StoresAsItself = capnp != TypeKind.Text && type != typeof(nint) && type != typeof(nuint);
        Number = new NumberTraits(NumberClass.Integer, min, max, JoinTarget: StoresAsItself);
    }

    public override string Name { get; }
    public override Type Type { get; }
    public override TypeKind Capnp { get; }
    public override bool StoresAsItself { get; }
    public override NumberTraits Number { get; }

    public override object Store(object value) => Capnp switch
    {
        _ when StoresAsItself => value,
        TypeKind.Int64 => (long)(nint)value,
        TypeKind.UInt64 => (ulong)(nuint)value,
        _ => ToText(value),
    };

    public override object Load(object stored, string? argument)
    {
        if (stored.GetType() == Type) return stored;
        if (stored is string text) return _parse(text, Invariant);
        // nint, nuint and the 128-bit types are not IConvertible: a stored 64-bit number reaches them through its
        // invariant digits, which any integer type parses, checked against its range.
        if (!StoresAsItself) return _parse(Convert.ToDecimal(stored, Invariant).ToString(Invariant), Invariant);
        return Convert.ChangeType(stored, Type, Invariant);
    }
}
