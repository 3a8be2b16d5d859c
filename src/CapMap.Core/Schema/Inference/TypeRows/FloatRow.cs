using System.Numerics;

namespace CapMap.Schema.Inference.TypeRows;

/// <summary>float as Float32 and double as Float64, stored as themselves; text in the round-trip form ("R").</summary>
internal sealed class FloatRow<T> : ClrTypeRow where T : struct, IBinaryFloatingPointIeee754<T>
{
    public FloatRow(string name, TypeKind capnp, int precision)
    {
        Name = name;
        Capnp = capnp;
        Number = new NumberTraits(NumberClass.Float, Precision: precision);
    }

    public override string Name { get; }
    public override Type Type => typeof(T);
    public override TypeKind Capnp { get; }
    public override bool StoresAsItself => true;
    public override NumberTraits Number { get; }

    public override object Store(object value) => value;

    public override object Load(object stored, string? argument) => Convert.ChangeType(stored, typeof(T), Invariant);

    public override string ToText(object value) => ((T)value).ToString("R", Invariant);
}
