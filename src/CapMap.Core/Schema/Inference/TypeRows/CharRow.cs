namespace CapMap.Schema.Inference.TypeRows;

/// <summary>char as Text of one UTF-16 unit.</summary>
internal sealed class CharRow : ClrTypeRow
{
    public override string Name => "Char";
    public override Type Type => typeof(char);
    public override TypeKind Capnp => TypeKind.Text;
    public override object Store(object value) => ToText(value);
    public override object Load(object stored, string? argument) =>
        (string)stored is [var c] ? c : throw new FormatException("not one character");
}
