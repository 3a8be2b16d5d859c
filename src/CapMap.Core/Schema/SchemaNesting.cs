namespace CapMap.Schema;

/// <summary>
/// How deep the pointers of a message can nest by its schema, so a reader can allow exactly that much: Cap'n Proto's
/// default nesting limit (64) protects readers from stack exhaustion on hostile data, but a file CapMap wrote with
/// -Depth 100 nests deeper than that, and must read back.
/// </summary>
public static class SchemaNesting
{
    /// <summary>
    /// The most pointer levels a reader allows whatever the schema says. Our readers recurse once or twice per level
    /// (a few hundred bytes of stack each), so 1,024 levels stay far below a worker thread's stack; a schema that
    /// allows more (only a hand-made one can: an inferred one nests at most <see cref="SchemaBudget.MaxStructNesting"/>
    /// structs) is read with this limit.
    /// </summary>
    public const int MaxLimit = 1024;

    /// <summary>
    /// The nesting limit for messages whose root is <paramref name="root"/>: the pointer levels its schema allows
    /// (the root struct is one), at least Cap'n Proto's default and at most <see cref="MaxLimit"/>. A schema that
    /// contains itself or holds AnyPointer fields does not bound its nesting: the default applies, as for any reader.
    /// </summary>
    public static int LimitFor(StructSchema root)
    {
        ArgumentNullException.ThrowIfNull(root);
        int levels = new Walk().Struct(root, 1);
        return Math.Clamp(levels, Wire.WireLimits.DefaultNestingLimit, MaxLimit);
    }

    /// <summary>
    /// A depth-first walk of the struct graph with the deepest level below each struct remembered, so each struct is
    /// walked once. Unbounded (a cycle, AnyPointer) gives <see cref="Unbounded"/>, so the clamp falls back to the
    /// default. Past <see cref="MaxLimit"/> the answer is known (the clamp gives the bound): the walk ends there,
    /// which bounds its recursion and its time on a hostile schema.
    /// </summary>
    private sealed class Walk
    {
        private const int Unbounded = int.MinValue;
        private readonly Dictionary<ulong, int> _below = new();
        private readonly HashSet<ulong> _open = new();

        /// <summary>The deepest level a value of <paramref name="s"/> read at <paramref name="level"/> reaches.</summary>
        public int Struct(StructSchema s, int level)
        {
            if (level > MaxLimit) return level;
            if (_below.TryGetValue(s.Id, out int known)) return known == Unbounded ? Unbounded : level + known;
            if (!_open.Add(s.Id)) return Unbounded; // the struct contains itself
            int deepest = level;
            foreach (var field in s.Fields)
            {
                int reached = field.IsGroup
                    ? Struct(field.GroupType!, level) // a group's fields are the struct's own
                    : Type(field.Type, level);
                if (reached == Unbounded || reached > MaxLimit) return reached; // known now: nothing else is walked
                deepest = Math.Max(deepest, reached);
            }
            _open.Remove(s.Id);
            _below[s.Id] = deepest - level; // relative: the same struct may be reached at several levels
            return deepest;
        }

        private int Type(TypeSchema type, int level)
        {
            switch (type.Kind)
            {
                case TypeKind.Struct:
                    return Struct(type.StructType!, level + 1);
                case TypeKind.List:
                    int inner = Type(type.ElementType!, level + 1);
                    return inner == Unbounded ? Unbounded : Math.Max(level + 1, inner);
                case TypeKind.Text or TypeKind.Data:
                    return level + 1;
                case TypeKind.AnyPointer:
                    return Unbounded;
                default:
                    return level; // data, and capabilities (no pointer into the message)
            }
        }
    }
}
