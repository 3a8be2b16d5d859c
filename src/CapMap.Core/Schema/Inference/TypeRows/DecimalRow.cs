using System.Globalization;
using System.Numerics;

namespace CapMap.Schema.Inference.TypeRows;

/// <summary>decimal as Text in invariant culture, exact (keeps the scale: <c>1.50</c>); Cap'n Proto has no decimal type.</summary>
internal sealed class DecimalRow : ClrTypeRow
{
    public override string Name => "Decimal";
    public override Type Type => typeof(decimal);
    public override TypeKind Capnp => TypeKind.Text;
    public override NumberTraits Number { get; } = new(NumberClass.Decimal, new BigInteger(decimal.MinValue), new BigInteger(decimal.MaxValue));
    public override object Store(object value) => ToText(value);
    public override object Load(object stored, string? argument) => decimal.Parse((string)stored, NumberStyles.Float, Invariant);
}
