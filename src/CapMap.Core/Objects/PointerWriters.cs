using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects;

/// <summary>Writes a non-null value of a pointer type (Text, Data, struct, list).</summary>
internal abstract class PointerWriter
{
    public abstract void Write(in PointerSlot target, object value);
}

internal sealed class TextWriter : PointerWriter
{
    public static readonly TextWriter Instance = new();

    public override void Write(in PointerSlot target, object value) => target.SetText((value as string ?? ToText(value)).AsSpan());
}

internal sealed class DataWriter(Func<object?, object?>? unwrap) : PointerWriter
{
    public override void Write(in PointerSlot target, object value)
    {
        if (value is byte[] bytes) target.SetData(bytes);
        else target.SetData(ToData(value, unwrap).Span);
    }
}

internal sealed class StructPointerWriter(StructPlan plan) : PointerWriter
{
    public override void Write(in PointerSlot target, object value)
    {
        plan.CheckObject(value);
        var child = target.InitStruct(plan.Schema.DataWordCount, plan.Schema.PointerCount);
        plan.WriteBody(in child, value);
    }
}

internal sealed class UnsupportedWriter(TypeSchema type) : PointerWriter
{
    public override void Write(in PointerSlot target, object value) =>
        throw Fail(value, $"{type} fields cannot be set: not supported (CapMap writes no AnyPointer or capability values)");
}
