namespace CapMap.Schema.Inference.TypeRows;

/// <summary>byte[] as Data; its text form is base64, as a string given for Data is read.</summary>
internal sealed class BytesRow : ClrTypeRow
{
    public override string Name => "Bytes";
    public override Type Type => typeof(byte[]);
    public override TypeKind Capnp => TypeKind.Data;
    public override bool StoresAsItself => true;
    public override object Store(object value) => value;
    public override object Load(object stored, string? argument) => (byte[])stored;
    public override string ToText(object value) => Convert.ToBase64String((byte[])value);
}
