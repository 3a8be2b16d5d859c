using System.Numerics;

namespace CapMap.Schema.Inference.TypeRows;

/// <summary>
/// The rows of the .NET integer types: sbyte … ulong as the Cap'n Proto integer of their size, stored as
/// themselves; nint and nuint as Int64 and UInt64 (64-bit on every platform CapMap runs on); Int128 and UInt128,
/// which Cap'n Proto has no type for, as Text in invariant decimal digits (exact, and readable by every Cap'n Proto
/// reader, as Decimal is).
/// </summary>
internal sealed class IntegerRow<T> : ClrTypeRow where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
{
    public IntegerRow(string name, TypeKind capnp)
    {
        Name = name;
        Capnp = capnp;
        // The wire writer takes exactly the .NET primitive of the field's type; nint, nuint and the 128-bit types are not those.
        StoresAsItself = capnp != TypeKind.Text && typeof(T) != typeof(nint) && typeof(T) != typeof(nuint);
        Number = new NumberTraits(NumberClass.Integer, BigInteger.CreateChecked(T.MinValue), BigInteger.CreateChecked(T.MaxValue), JoinTarget: StoresAsItself);
    }

    public override string Name { get; }
    public override Type Type => typeof(T);
    public override TypeKind Capnp { get; }
    public override bool StoresAsItself { get; }
    public override NumberTraits Number { get; }

    public override object Store(object value) => Capnp switch
    {
        _ when StoresAsItself => value,
        TypeKind.Int64 => long.CreateChecked((T)value),
        TypeKind.UInt64 => ulong.CreateChecked((T)value),
        _ => ToText(value),
    };

    public override object Load(object stored, string? argument) => stored switch
    {
        T => stored,
        string text => T.Parse(text, System.Globalization.NumberStyles.Integer, Invariant),
        // The others are not IConvertible: a stored 64-bit number reaches them through decimal, which holds it exactly.
        _ when !StoresAsItself => T.CreateChecked(Convert.ToDecimal(stored, Invariant)),
        _ => Convert.ChangeType(stored, typeof(T), Invariant),
    };
}
