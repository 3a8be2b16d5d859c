namespace CapMap.Schema.Inference.TypeRows;

/// <summary>bool as Bool.</summary>
internal sealed class BooleanRow : ClrTypeRow
{
    public override string Name => "Boolean";
    public override Type Type => typeof(bool);
    public override TypeKind Capnp => TypeKind.Bool;
    public override bool StoresAsItself => true;
    public override object Store(object value) => value;
    public override object Load(object stored, string? argument) => Convert.ToBoolean(stored, Invariant);
}
