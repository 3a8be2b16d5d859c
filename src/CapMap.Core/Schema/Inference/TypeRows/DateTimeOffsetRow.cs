using System.Globalization;

namespace CapMap.Schema.Inference.TypeRows;

/// <summary>DateTimeOffset as Text in the round-trip form <c>2024-05-01T10:00:00.0000000+02:00</c> (keeps the offset).</summary>
internal sealed class DateTimeOffsetRow : ClrTypeRow
{
    public override string Name => "DateTimeOffset";
    public override Type Type => typeof(DateTimeOffset);
    public override TypeKind Capnp => TypeKind.Text;
    public override object Store(object value) => ToText(value);
    public override object Load(object stored, string? argument) => DateTimeOffset.ParseExact((string)stored, "o", Invariant, DateTimeStyles.None);
    public override string ToText(object value) => ((DateTimeOffset)value).ToString("o", Invariant);
}
