namespace CapMap.Schema.Inference;

/// <summary>
/// Joins two shapes seen apart into the one that holds the values of both, by the rules
/// <see cref="ShapeObserver"/> applies value by value: numbers widen (<see cref="ScalarLattice"/>), lists and maps
/// join their elements, objects their properties, and different kinds make a <see cref="UnionShape"/>. Used when
/// records first kept apart by .NET type turn out to need one struct after all (<see cref="RecordShapes"/>).
/// </summary>
internal static class ShapeJoin
{
    /// <summary>The join; it may reuse (and change) the shapes of <paramref name="a"/>.</summary>
    public static ValueShape? Join(ValueShape? a, ValueShape? b)
    {
        if (a is null) return b;
        if (b is null) return a;
        if (b is UnionShape union)
        {
            foreach (var (key, shape) in union.Members) a = JoinKind(a, key, shape);
            return a;
        }
        return JoinKind(a, UnionShape.KeyOf(b), b);
    }

    private static ValueShape JoinKind(ValueShape current, string key, ValueShape shape) =>
        UnionShape.Place(current, key, UnionShape.SameKind(current, key) is { } same ? JoinSameKind(same, shape) : shape);

    private static ValueShape JoinSameKind(ValueShape a, ValueShape b)
    {
        switch (a, b)
        {
            case (ScalarShape x, ScalarShape y):
                return x.Info == y.Info ? x : new ScalarShape(ScalarLattice.Join(x.Info, y.Info));
            case (ListShape x, ListShape y):
                if (x.Collection != y.Collection) x.Collection = ClrKind.Sequence;
                x.Element = Join(x.Element, y.Element);
                x.HasNulls |= y.HasNulls;
                return x;
            case (MapShape x, MapShape y):
                x.Merge(y.Argument);
                x.Value = Join(x.Value, y.Value);
                return x;
            case (StructShape x, StructShape y):
                Absorb(x, y);
                return x;
            default:
                throw new InvalidOperationException($"A {a.GetType().Name} and a {b.GetType().Name} are not of one kind.");
        }
    }

    /// <summary>Merges <paramref name="other"/>'s kind, name and properties into <paramref name="target"/>.</summary>
    public static void Absorb(StructShape target, StructShape other)
    {
        target.Merge(other.Kind, other.Argument);
        target.CountObjects(other.Objects);
        for (int j = 0; j < other.Properties.Count; j++)
        {
            var (name, shape) = other.Properties[j];
            int i = target.IndexOf(name);
            target.Properties[i] = (name, Join(target.Properties[i].Shape, shape));
            target.CountPresent(i, other.PresentIn(j));
        }
    }
}
