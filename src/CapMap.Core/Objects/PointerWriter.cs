using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects;

/// <summary>Writes a non-null value of a pointer type (Text, Data, struct, list).</summary>
internal abstract class PointerWriter
{
    public abstract void Write(in PointerSlot target, object value);
}
