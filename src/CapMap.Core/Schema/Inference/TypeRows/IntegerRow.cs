using System.Numerics;

namespace CapMap.Schema.Inference;

/// <summary>
/// The rows of the .NET integer types: sbyte … ulong as the Cap'n Proto integer of their size, stored as
/// themselves; Int128 and UInt128, which Cap'n Proto has no type for, as Text in invariant decimal digits (exact,
/// and readable by every Cap'n Proto reader, as Decimal is).
/// </summary>
internal sealed class IntegerRow<T> : ClrTypeRow where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
{
    public IntegerRow(string name, TypeKind capnp)
    {
        Name = name;
        Capnp = capnp;
        bool primitive = capnp != TypeKind.Text;
        Number = new NumberTraits(NumberClass.Integer, BigInteger.CreateChecked(T.MinValue), BigInteger.CreateChecked(T.MaxValue), JoinTarget: primitive);
    }

    public override string Name { get; }
    public override Type Type => typeof(T);
    public override TypeKind Capnp { get; }
    public override bool StoresAsItself => Capnp != TypeKind.Text;
    public override NumberTraits Number { get; }

    public override object Store(object value) => Capnp == TypeKind.Text ? ToText(value) : value;

    public override object Load(object stored, string? argument) => stored switch
    {
        T => stored,
        string text => T.Parse(text, System.Globalization.NumberStyles.Integer, Invariant),
        // Int128 and UInt128 are not IConvertible: a stored 64-bit number reaches them through decimal, which holds it exactly.
        _ when Capnp == TypeKind.Text => T.CreateChecked(Convert.ToDecimal(stored, Invariant)),
        _ => Convert.ChangeType(stored, typeof(T), Invariant),
    };
}
