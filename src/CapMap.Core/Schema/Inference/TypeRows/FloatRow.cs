namespace CapMap.Schema.Inference.TypeRows;

/// <summary>float as Float32 and double as Float64, stored as themselves; text in the round-trip form ("R").</summary>
/// <remarks>Not generic over the float type, for the reason <see cref="IntegerRow"/> gives.</remarks>
internal sealed class FloatRow : ClrTypeRow
{
    public FloatRow(string name, Type type, TypeKind capnp, int precision)
    {
        Name = name;
        Type = type;
        Capnp = capnp;
        Number = new NumberTraits(NumberClass.Float, Precision: precision);
    }

    public override string Name { get; }
    public override Type Type { get; }
    public override TypeKind Capnp { get; }
    public override bool StoresAsItself => true;
    public override NumberTraits Number { get; }

    public override object Store(object value) => value;

    public override object Load(object stored, string? argument) => Convert.ChangeType(stored, Type, Invariant);

    public override string ToText(object value) => ((IFormattable)value).ToString("R", Invariant);
}
