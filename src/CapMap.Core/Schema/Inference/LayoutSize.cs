namespace CapMap.Schema.Inference;

/// <summary>How a field occupies a struct: nothing, 2^n bits of the data section (the value is n), or a pointer.</summary>
internal enum LayoutSize
{
    Bit1 = 0, Bit8 = 3, Bit16 = 4, Bit32 = 5, Bit64 = 6,
    Void = 100,
    Pointer = 101,
}
