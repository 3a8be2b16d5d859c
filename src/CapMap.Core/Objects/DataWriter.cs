using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects;

/// <summary>Writes a Data field or element: a byte[] as it is, any other value as ValueConverter.ToData makes it bytes.</summary>
internal sealed class DataWriter(Func<object?, object?>? unwrap) : PointerWriter
{
    public override void Write(in PointerSlot target, object value)
    {
        if (value is byte[] bytes) target.SetData(bytes);
        else target.SetData(ToData(value, unwrap).Span);
    }
}
