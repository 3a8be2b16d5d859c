namespace CapMap.Schema;

/// <summary>A file node.</summary>
public sealed class FileSchema : NodeSchema
{
    internal FileSchema(ulong id, string displayName, int prefix, ulong scopeId, IReadOnlyList<NestedNodeInfo> nested,
        IReadOnlyList<AnnotationSchema> annotations, IReadOnlyList<string> parameters, bool isGeneric)
        : base(NodeKind.File, id, displayName, prefix, scopeId, nested, annotations, parameters, isGeneric) { }
}
