namespace CapMap.Schema.Inference;

/// <summary>
/// Cap'n Proto's placement of an unnamed union whose members are single fields, inside a struct's
/// <see cref="CapnpStructLayout"/>: the compiler's <c>StructLayout::Union</c> with each member in a group of its own
/// (node-translator.c++ lays a union field out as a one-member group). Members share the union's data locations
/// and pointers: a member takes the smallest location that holds it, else widens one in place, else gets a new one;
/// every member takes the union's first pointer. The 16-bit discriminant is placed when the second member is, which
/// is why it can sit before or after the shared value depending on the members' order.
/// </summary>
internal sealed class CapnpUnionLayout
{
    private readonly CapnpStructLayout _parent;
    private readonly List<DataLocation> _dataLocations = new();
    private uint? _pointer;
    private int _members;

    public CapnpUnionLayout(CapnpStructLayout parent) => _parent = parent;

    /// <summary>Offset of the discriminant in 16-bit units; null until the union has two members.</summary>
    public uint? DiscriminantOffset { get; private set; }

    /// <summary>Places the next member (in ordinal order); returns its offset in units of its own size.</summary>
    public uint AddMember(LayoutSize size)
    {
        // A member's group counts once it has a field; the second one makes the union need its discriminant.
        if (++_members == 2) DiscriminantOffset = _parent.Add(LayoutSize.Bit16);
        return size switch
        {
            LayoutSize.Void => 0,
            LayoutSize.Pointer => _pointer ??= _parent.Add(LayoutSize.Pointer),
            _ => AddData((int)size),
        };
    }

    private uint AddData(int lgSize)
    {
        // A fresh group has used none of the locations: the best is the smallest that is at least this big
        // (the first of equals).
        int best = -1;
        for (int i = 0; i < _dataLocations.Count; i++)
            if (_dataLocations[i].LgSize >= lgSize && (best < 0 || _dataLocations[i].LgSize < _dataLocations[best].LgSize))
                best = i;
        if (best >= 0) return _dataLocations[best].Offset << (_dataLocations[best].LgSize - lgSize);

        // None is big enough: widen the first that can grow in place.
        for (int i = 0; i < _dataLocations.Count; i++)
        {
            var location = _dataLocations[i];
            if (!_parent.TryExpandData(location.LgSize, location.Offset, lgSize - location.LgSize)) continue;
            var widened = new DataLocation(lgSize, location.Offset >> (lgSize - location.LgSize));
            _dataLocations[i] = widened;
            return widened.Offset;
        }

        uint offset = _parent.Add((LayoutSize)lgSize);
        _dataLocations.Add(new DataLocation(lgSize, offset));
        return offset;
    }

    /// <summary>A data slot the members share: 2^LgSize bits at Offset (in units of its size).</summary>
    private readonly record struct DataLocation(int LgSize, uint Offset);
}
