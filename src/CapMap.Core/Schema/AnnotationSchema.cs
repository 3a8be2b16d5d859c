namespace CapMap.Schema;

/// <summary>An annotation applied to a node, field or enumerant.</summary>
public sealed class AnnotationSchema
{
    internal AnnotationSchema(ulong id, ValueSchema value)
    {
        Id = id;
        Value = value;
    }

    /// <summary>Id of the annotation's declaration node.</summary>
    public ulong Id { get; }

    /// <summary>The declaration, or null if the request did not include it.</summary>
    public AnnotationDeclarationSchema? Declaration { get; private set; }

    /// <summary>The declaration's short name, or null if it is not known.</summary>
    public string? Name => Declaration?.ShortName;

    /// <summary>The value given to the annotation.</summary>
    public ValueSchema Value { get; }

    internal void Bind(SchemaSet set) => Declaration = set.TryGetById(Id) as AnnotationDeclarationSchema;

    /// <inheritdoc />
    public override string ToString() => $"${Name ?? $"0x{Id:x16}"}({Value})";
}
