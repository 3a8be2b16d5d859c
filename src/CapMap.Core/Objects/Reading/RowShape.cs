namespace CapMap.Objects.Reading;

/// <summary>What a generated row type holds: its property names (unique case-insensitively) and the type name its rows should show (null: none beyond the generated type's own).</summary>
public sealed class RowShape
{
    internal RowShape(Type type, IReadOnlyList<string> propertyNames, string? typeName)
    {
        Type = type;
        PropertyNames = propertyNames;
        TypeName = typeName;
    }

    /// <summary>The generated type.</summary>
    public Type Type { get; }

    /// <summary>Property names, in order.</summary>
    public IReadOnlyList<string> PropertyNames { get; }

    /// <summary>The type name its rows should show; null for none. The generated type carries it when <see cref="Type"/>'s full name is this.</summary>
    public string? TypeName { get; }

    internal Func<RowShape, object?[], Row> Create { get; set; } = null!;

    internal Func<RowShape, RowSource, int, Row> CreateLazy { get; set; } = null!;

    /// <summary>A new row of this shape holding <paramref name="values"/> (one per property, in order; owned by the row).</summary>
    public Row New(object?[] values) => Create(this, values);

    /// <summary>A new row of this shape whose values <paramref name="source"/> decodes (entry <paramref name="index"/>) when they are first read.</summary>
    public Row NewLazy(RowSource source, int index) => CreateLazy(this, source ?? throw new ArgumentNullException(nameof(source)), index);
}
