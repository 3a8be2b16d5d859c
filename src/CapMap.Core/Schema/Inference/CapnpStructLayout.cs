namespace CapMap.Schema.Inference;

/// <summary>
/// Cap'n Proto's own field placement for a struct's fields outside a union (<see cref="CapnpUnionLayout"/> places
/// a union's members inside it): the algorithm of <c>StructLayout</c> in the
/// compiler's <c>node-translator.c++</c>. Data fields are placed in ordinal order, each into the first "hole"
/// of its size left over by earlier, smaller fields, else at the start of a new data word (whose unused rest
/// becomes holes of 1, 2, 4 .. 32 bits); pointers simply take the next pointer index.
/// </summary>
internal sealed class CapnpStructLayout
{
    // _holes[lg] is the offset (in units of 2^lg bits) of a free slot of 2^lg bits, 0 if there is none. A hole
    // is always at an odd offset, so 0 can mean "none".
    private readonly uint[] _holes = new uint[6];

    /// <summary>Words in the data section so far.</summary>
    public int DataWordCount { get; private set; }

    /// <summary>Pointers in the pointer section so far.</summary>
    public int PointerCount { get; private set; }

    /// <summary>Places the next field; returns its offset in units of its own size (the <c>Field.slot.offset</c>).</summary>
    public uint Add(LayoutSize size) => size switch
    {
        LayoutSize.Void => 0,
        LayoutSize.Pointer => (uint)PointerCount++,
        _ => AddData((int)size),
    };

    private uint AddData(int lgSize)
    {
        if (TryAllocate(lgSize) is { } hole) return hole;
        uint offset = (uint)DataWordCount++ << (6 - lgSize);
        AddHolesAtEnd(lgSize, offset + 1);
        return offset;
    }

    private uint? TryAllocate(int lgSize)
    {
        if (lgSize >= _holes.Length) return null;
        if (_holes[lgSize] != 0)
        {
            uint result = _holes[lgSize];
            _holes[lgSize] = 0;
            return result;
        }
        if (TryAllocate(lgSize + 1) is not { } next) return null;
        uint split = next * 2;
        _holes[lgSize] = split + 1;
        return split;
    }

    /// <summary>
    /// Grows the data field of 2^<paramref name="oldLgSize"/> bits at <paramref name="oldOffset"/> in place by
    /// 2^<paramref name="expansionFactor"/>, if the holes right after it are free (the compiler's
    /// <c>HoleSet::tryExpand</c>, which a union uses to widen a location its members share).
    /// </summary>
    public bool TryExpandData(int oldLgSize, uint oldOffset, int expansionFactor)
    {
        if (expansionFactor == 0) return true;
        if (oldLgSize >= _holes.Length || _holes[oldLgSize] != oldOffset + 1) return false;
        if (!TryExpandData(oldLgSize + 1, oldOffset >> 1, expansionFactor - 1)) return false;
        _holes[oldLgSize] = 0;
        return true;
    }

    private void AddHolesAtEnd(int lgSize, uint offset)
    {
        for (; lgSize < _holes.Length; lgSize++)
        {
            _holes[lgSize] = offset;
            offset = (offset + 1) / 2;
        }
    }

    /// <summary>The layout class of a type: Void, a data field of 2^n bits (n = 0..6), or a pointer.</summary>
    public static LayoutSize SizeOf(TypeKind kind) => kind switch
    {
        TypeKind.Void => LayoutSize.Void,
        TypeKind.Bool => LayoutSize.Bit1,
        TypeKind.Int8 or TypeKind.UInt8 => LayoutSize.Bit8,
        TypeKind.Int16 or TypeKind.UInt16 or TypeKind.Enum => LayoutSize.Bit16,
        TypeKind.Int32 or TypeKind.UInt32 or TypeKind.Float32 => LayoutSize.Bit32,
        TypeKind.Int64 or TypeKind.UInt64 or TypeKind.Float64 => LayoutSize.Bit64,
        _ => LayoutSize.Pointer,
    };
}
