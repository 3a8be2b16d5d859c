using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects;

/// <summary>Refuses a value for a field of a type CapMap never writes (AnyPointer, capabilities), naming the type.</summary>
internal sealed class UnsupportedWriter(TypeSchema type) : PointerWriter
{
    public override void Write(in PointerSlot target, object value) =>
        throw Fail(value, $"{type} fields cannot be set: not supported (CapMap writes no AnyPointer or capability values)");
}
