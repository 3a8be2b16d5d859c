namespace CapMap.Schema;

/// <summary>An enumerant of an <see cref="EnumSchema"/>.</summary>
public sealed class EnumerantSchema
{
    internal EnumerantSchema(string name, ushort ordinal, ushort codeOrder, IReadOnlyList<AnnotationSchema> annotations)
    {
        Name = name;
        Ordinal = ordinal;
        CodeOrder = codeOrder;
        Annotations = annotations;
    }

    /// <summary>The enumerant's name as written in the schema.</summary>
    public string Name { get; }

    /// <summary>The value stored on the wire (the enumerant's index / <c>@n</c>).</summary>
    public ushort Ordinal { get; }

    /// <summary>Position in the source (declaration order), which may differ from the ordinal.</summary>
    public ushort CodeOrder { get; }
    /// <summary>Annotations applied to the enumerant.</summary>
    public IReadOnlyList<AnnotationSchema> Annotations { get; }
    /// <inheritdoc />
    public override string ToString() => $"{Name} @{Ordinal}";
}
