namespace CapMap.Schema.Inference;

/// <summary>
/// The records seen so far, kept apart by .NET type: objects that name their type (a FileInfo, a DirectoryInfo, a
/// Process) each go to the shape of their type, everything else (plain values, dictionaries, nulls, objects without
/// a type name) to one shape shared by all of them. Several typed shapes and nothing else become a union of one
/// struct per type, so each record keeps its own type name and properties; any other mix is one struct, as
/// records of one type are.
/// </summary>
internal sealed class RecordShapes
{
    private readonly List<(string? Type, StructShape Shape)> _groups = new();

    /// <summary>The shape of the records of <paramref name="kind"/> and <paramref name="argument"/>, made on first use.</summary>
    public StructShape For(ClrKind kind, string? argument)
    {
        // Only objects are told apart by type; the rest share the untyped group, where kinds merge as they always did.
        string? type = kind == ClrKind.Object ? argument : null;
        foreach (var (t, shape) in _groups)
            if (t == type) return shape;
        var created = new StructShape(kind, argument);
        _groups.Add((type, created));
        return created;
    }

    /// <summary>The shape of each group, in the order first seen.</summary>
    public IEnumerable<StructShape> Groups => _groups.Select(g => g.Shape);

    /// <summary>Objects of two or more named types and no other records: one shape per type, in the order first seen.</summary>
    public IReadOnlyList<(string Type, StructShape Shape)>? ByType =>
        _groups.Count >= 2 && _groups.All(g => g.Type is not null) ? _groups.Select(g => (g.Type!, g.Shape)).ToList() : null;

    /// <summary>All records as one struct (the groups joined in the order first seen); a record-less sample is an object without properties.</summary>
    public StructShape Merged()
    {
        if (_groups.Count == 0) return new StructShape(ClrKind.Object, null);
        var merged = _groups[0].Shape;
        for (int i = 1; i < _groups.Count; i++) ShapeJoin.Absorb(merged, _groups[i].Shape);
        return merged;
    }
}
