namespace CapMap.Schema.Inference.TypeRows;

/// <summary>string as Text (UTF-8 on the wire; see docs/object-conversion.md for strings that are not valid UTF-16).</summary>
internal sealed class StringRow : ClrTypeRow
{
    public override string Name => "String";
    public override Type Type => typeof(string);
    public override TypeKind Capnp => TypeKind.Text;
    public override bool StoresAsItself => true;
    public override object Store(object value) => value;
    public override object Load(object stored, string? argument) => Convert.ToString(stored, Invariant)!;
    public override string ToText(object value) => (string)value;
}
