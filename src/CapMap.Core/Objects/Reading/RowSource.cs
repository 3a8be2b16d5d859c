namespace CapMap.Objects.Reading;

/// <summary>
/// Where rows made by <see cref="RowShape.NewLazy"/> get their values: it decodes entry <c>index</c> on demand, under
/// <see cref="Gate"/> (rows may be read on any thread, and decoders keep caches). Derived only in this assembly.
/// </summary>
public abstract class RowSource
{
    private protected RowSource() { }

    /// <summary>The lock every decode of this source runs under (shared with whatever else uses the same decoders).</summary>
    internal abstract object Gate { get; }

    /// <summary>The values of entry <paramref name="index"/>, in the order of its row's shape.</summary>
    internal abstract object?[] Decode(int index);

    /// <summary>True if <see cref="DecodeSlot"/> decodes one value without the others; if not, a row decodes whole at its first read.</summary>
    internal abstract bool DecodesSlots { get; }

    /// <summary>The value of entry <paramref name="index"/> at <paramref name="slot"/> of its row's shape, alone (called only where <see cref="DecodesSlots"/>).</summary>
    internal abstract object? DecodeSlot(int index, int slot);
}
