namespace CapMap.Schema.Inference.TypeRows;

/// <summary>Version as Text (<c>1.2.3.4</c>).</summary>
internal sealed class VersionRow : ClrTypeRow
{
    public override string Name => "Version";
    public override Type Type => typeof(Version);
    public override TypeKind Capnp => TypeKind.Text;
    public override object Store(object value) => ToText(value);
    public override object Load(object stored, string? argument) => Version.Parse((string)stored);
}
