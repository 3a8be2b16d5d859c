namespace CapMap.Schema.Inference.TypeRows;

/// <summary>Guid as Data of 16 bytes in RFC 4122 (big-endian) order, the order its text form reads in.</summary>
internal sealed class GuidRow : ClrTypeRow
{
    public override string Name => "Guid";
    public override Type Type => typeof(Guid);
    public override TypeKind Capnp => TypeKind.Data;
    public override object Store(object value) => Bytes((Guid)value);
    public override object Load(object stored, string? argument) => new Guid((byte[])stored, bigEndian: true);

    /// <summary>A Guid's 16 bytes in RFC 4122 order.</summary>
    public static byte[] Bytes(Guid value) => value.ToByteArray(bigEndian: true);
}
