using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects;

/// <summary>Writes a Text field or element: a string as it is, any other value as its invariant text (ValueConverter.ToText).</summary>
internal sealed class TextWriter : PointerWriter
{
    public static readonly TextWriter Instance = new();

    public override void Write(in PointerSlot target, object value) => target.SetText((value as string ?? ToText(value)).AsSpan());
}
