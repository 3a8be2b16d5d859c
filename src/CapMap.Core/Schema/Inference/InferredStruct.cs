namespace CapMap.Schema.Inference;

/// <summary>
/// A struct of an <see cref="InferredSchema"/>: fields in declaration order (ordinals 0, 1, 2 ...) with the
/// offsets and section sizes <c>capnp compile</c> gives the emitted text. A struct is either plain fields or, for
/// a value of several kinds (<see cref="Union"/>), nothing but an unnamed union of one field per kind; no groups.
/// The field list is fixed at construction; identifiers are made valid and unique there.
/// </summary>
public sealed class InferredStruct
{
    /// <summary>Creates the struct and computes its layout.</summary>
    /// <param name="name">The original name (the schema derives the Cap'n Proto type name from it).</param>
    /// <param name="fields">The fields in order; each field instance belongs to one struct only.</param>
    /// <exception cref="ArgumentException">A field already belongs to another struct.</exception>
    public InferredStruct(string name, IEnumerable<InferredField> fields)
        : this(name, fields, union: false)
    {
    }

    private InferredStruct(string name, IEnumerable<InferredField> fields, bool union)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        var list = (fields ?? throw new ArgumentNullException(nameof(fields))).ToArray();
        if (union && list.Length < 2)
            throw new ArgumentException($"A union needs at least two members; struct '{name}' has {list.Length}.", nameof(fields));
        if (union && list.Any(f => f.IsFlag || f.NullFlag is not null || f.AbsentFlag is not null))
            throw new ArgumentException($"Union members have no null flags (a null value is a null pointer to struct '{name}').", nameof(fields));
        var identifiers = AssignIdentifiers(list);
        var layout = new CapnpStructLayout();
        var unionLayout = union ? new CapnpUnionLayout(layout) : null;
        for (int i = 0; i < list.Length; i++)
        {
            var f = list[i];
            if (f.DeclaringStruct is not null)
                throw new ArgumentException($"Field '{f.Name}' already belongs to struct '{f.DeclaringStruct.Name}'.", nameof(fields));
            f.DeclaringStruct = this;
            f.Identifier = identifiers[i];
            if (f.IsFlag) f.Name = f.Identifier;
            f.Ordinal = i;
            var size = CapnpStructLayout.SizeOf(f.Type.Kind);
            if (unionLayout is null) f.Offset = layout.Add(size);
            else
            {
                f.Offset = unionLayout.AddMember(size);
                f.DiscriminantValue = checked((ushort)i);
            }
        }
        Fields = list;
        IsUnion = union;
        DiscriminantOffset = unionLayout?.DiscriminantOffset ?? 0;
        DataWordCount = layout.DataWordCount;
        PointerCount = layout.PointerCount;
    }

    /// <summary>
    /// A struct that is nothing but an unnamed union of <paramref name="members"/> (two or more, declared in order,
    /// discriminant values 0, 1, 2 ...): the home of a value of several kinds, one member per kind, the active one
    /// holding the value. Members have no null flags: the value's null is a null pointer to the struct.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two members, a member with a null flag, or one that belongs to another struct.</exception>
    public static InferredStruct Union(string name, IEnumerable<InferredField> members) => new(name, members, union: true);

    /// <summary>
    /// A struct of <paramref name="fields"/> followed by a null flag (<see cref="InferredField.NullFlag"/>) for each
    /// of them whose values live in the data section. The flags come after every regular field, so the regular
    /// fields keep the ordinals and offsets they would have without them.
    /// </summary>
    public static InferredStruct WithNullFlags(string name, IEnumerable<InferredField> fields) => WithNullFlags(name, fields, mayBeAbsent: null);

    /// <summary>
    /// <see cref="WithNullFlags(string, IEnumerable{InferredField})"/>, then an absence flag (<see cref="InferredField.AbsentFlag"/>)
    /// for each field <paramref name="mayBeAbsent"/> names: after the null flags, so the regular fields and null
    /// flags keep the ordinals and offsets they would have without them.
    /// </summary>
    public static InferredStruct WithNullFlags(string name, IEnumerable<InferredField> fields, Func<InferredField, bool>? mayBeAbsent)
    {
        var regular = (fields ?? throw new ArgumentNullException(nameof(fields))).ToArray();
        var flags = regular.Where(f => InferredField.IsDataKind(f.Type.Kind)).Select(InferredField.NullFlagOf).ToArray();
        var absent = mayBeAbsent is null ? [] : regular.Where(mayBeAbsent).Select(InferredField.AbsentFlagOf).ToArray();
        return new InferredStruct(name, regular.Concat(flags).Concat(absent));
    }

    // Regular fields are named first, exactly as without flags; a flag is then "<its field's identifier>IsNull",
    // numbered if that is taken, so a property named like a flag keeps its own identifier.
    private static string[] AssignIdentifiers(InferredField[] list)
    {
        var regular = list.Where(f => !f.IsFlag).ToArray();
        var regularIds = CapnpIdentifiers.MakeUnique(regular.Select(f => f.Name).ToArray(), CapnpIdentifiers.ToMemberIdentifier);
        var byField = new Dictionary<InferredField, string>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < regular.Length; i++) byField[regular[i]] = regularIds[i];
        var taken = new HashSet<string>(regularIds, StringComparer.OrdinalIgnoreCase);
        var result = new string[list.Length];
        for (int i = 0; i < list.Length; i++)
        {
            var f = list[i];
            if ((f.FlagsNullOf ?? f.FlagsAbsenceOf) is not { } target) { result[i] = byField[f]; continue; }
            if (!byField.TryGetValue(target, out var targetId))
                throw new ArgumentException($"Flag '{f.Name}' flags a field of another struct.", "fields");
            result[i] = CapnpIdentifiers.Claim(taken, targetId + (f.FlagsNullOf is not null ? "IsNull" : "IsAbsent"));
        }
        return result;
    }

    /// <summary>The original name.</summary>
    public string Name { get; }

    /// <summary>The Cap'n Proto type name, assigned by the schema (unique in the file).</summary>
    public string Identifier { get; internal set; } = "";

    /// <summary>The node id, assigned by the schema.</summary>
    public ulong Id { get; internal set; }

    /// <summary>Fields in declaration (and ordinal) order.</summary>
    public IReadOnlyList<InferredField> Fields { get; }

    /// <summary>Words in the data section.</summary>
    public int DataWordCount { get; }

    /// <summary>Pointers in the pointer section.</summary>
    public int PointerCount { get; }

    /// <summary>True if every field is a member of the struct's unnamed union (<see cref="Union"/>).</summary>
    public bool IsUnion { get; }

    /// <summary>Where the union's discriminant is, in 16-bit units of the data section; 0 for a struct without a union.</summary>
    public uint DiscriminantOffset { get; }

    /// <summary>Members of the union (every field of a union struct); 0 for a struct without one.</summary>
    public int DiscriminantCount => IsUnion ? Fields.Count : 0;

    /// <summary>The field with this original name (ordinal comparison), or null.</summary>
    public InferredField? FindField(string name)
    {
        foreach (var f in Fields)
            if (string.Equals(f.Name, name, StringComparison.Ordinal))
                return f;
        return null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"struct {Identifier} ({Fields.Count} {(IsUnion ? "union members" : "fields")}, {DataWordCount} data words, {PointerCount} pointers)";
}
