namespace CapMap.Schema;

/// <summary>An annotation declaration node (<c>annotation name(targets) :Type;</c>).</summary>
public sealed class AnnotationDeclarationSchema : NodeSchema
{
    internal AnnotationDeclarationSchema(ulong id, string displayName, int prefix, ulong scopeId, IReadOnlyList<NestedNodeInfo> nested,
        IReadOnlyList<AnnotationSchema> annotations, IReadOnlyList<string> parameters, bool isGeneric,
        TypeSchema type, AnnotationTargets targets)
        : base(NodeKind.Annotation, id, displayName, prefix, scopeId, nested, annotations, parameters, isGeneric)
    {
        Type = type;
        Targets = targets;
    }

    /// <summary>The type of the annotation's value.</summary>
    public TypeSchema Type { get; }
    /// <summary>What the annotation may be applied to.</summary>
    public AnnotationTargets Targets { get; }

    internal override void Bind(SchemaSet set)
    {
        base.Bind(set);
        Type.Bind(set);
    }
}
