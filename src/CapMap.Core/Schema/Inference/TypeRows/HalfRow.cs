namespace CapMap.Schema.Inference.TypeRows;

/// <summary>Half as Float32: every Half is exactly a float (11 of 24 significand bits), and Cap'n Proto has no 16-bit float.</summary>
internal sealed class HalfRow : ClrTypeRow
{
    public override string Name => "Half";
    public override Type Type => typeof(Half);
    public override TypeKind Capnp => TypeKind.Float32;
    public override NumberTraits Number { get; } = new(NumberClass.Float, Precision: 11);

    public override object Store(object value) => (float)(Half)value;

    public override object Load(object stored, string? argument) => (Half)Convert.ToSingle(stored, Invariant);
}
