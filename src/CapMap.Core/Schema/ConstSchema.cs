namespace CapMap.Schema;

/// <summary>A constant node.</summary>
public sealed class ConstSchema : NodeSchema
{
    internal ConstSchema(ulong id, string displayName, int prefix, ulong scopeId, IReadOnlyList<NestedNodeInfo> nested,
        IReadOnlyList<AnnotationSchema> annotations, IReadOnlyList<string> parameters, bool isGeneric,
        TypeSchema type, ValueSchema value)
        : base(NodeKind.Const, id, displayName, prefix, scopeId, nested, annotations, parameters, isGeneric)
    {
        Type = type;
        Value = value;
    }

    /// <summary>The constant's type.</summary>
    public TypeSchema Type { get; }
    /// <summary>The constant's value.</summary>
    public ValueSchema Value { get; }

    internal override void Bind(SchemaSet set)
    {
        base.Bind(set);
        Type.Bind(set);
    }
}
