namespace CapMap.Schema.Inference.TypeRows;

/// <summary>Uri as Text: the original string of the URI (relative ones too).</summary>
internal sealed class UriRow : ClrTypeRow
{
    public override string Name => "Uri";
    public override Type Type => typeof(Uri);
    public override TypeKind Capnp => TypeKind.Text;
    public override object Store(object value) => ToText(value);
    public override object Load(object stored, string? argument) => new Uri((string)stored, UriKind.RelativeOrAbsolute);
    public override string ToText(object value) => ((Uri)value).OriginalString;
}
