using System.Globalization;
using System.Numerics;

namespace CapMap.Schema.Inference.TypeRows;

/// <summary>
/// BigInteger as Text in invariant decimal digits (<c>-123456789012345678901234567890</c>): exact at any size, and
/// readable as the number it is by every Cap'n Proto reader (capnp convert, capnp-es), as Decimal, Int128 and
/// UInt128 are. Data of its two's-complement bytes would be smaller, but opaque to every reader but CapMap.
/// An unbounded integer: it holds every other integer type, so an integer property that also holds a BigInteger
/// widens to BigInteger.
/// </summary>
internal sealed class BigIntegerRow : ClrTypeRow
{
    public override string Name => "BigInteger";
    public override Type Type => typeof(BigInteger);
    public override TypeKind Capnp => TypeKind.Text;
    public override NumberTraits Number { get; } = new(NumberClass.Integer);

    public override object Store(object value) => ToText(value);

    public override object Load(object stored, string? argument) => stored is string text
        ? BigInteger.Parse(text, NumberStyles.Integer, Invariant)
        : new BigInteger(Convert.ToDecimal(stored, Invariant));
}
