using System.Net;

namespace CapMap.Schema.Inference.TypeRows;

/// <summary>IPAddress as Text (<c>192.168.1.20</c>, <c>fe80::1</c>).</summary>
internal sealed class IPAddressRow : ClrTypeRow
{
    public override string Name => "IPAddress";
    public override Type Type => typeof(IPAddress);
    public override TypeKind Capnp => TypeKind.Text;
    public override object Store(object value) => ToText(value);
    public override object Load(object stored, string? argument) => IPAddress.Parse((string)stored);
}
