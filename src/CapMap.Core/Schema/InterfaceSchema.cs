namespace CapMap.Schema;

/// <summary>An interface node (represented minimally: CapMap does not do RPC).</summary>
public sealed class InterfaceSchema : NodeSchema
{
    internal InterfaceSchema(ulong id, string displayName, int prefix, ulong scopeId, IReadOnlyList<NestedNodeInfo> nested,
        IReadOnlyList<AnnotationSchema> annotations, IReadOnlyList<string> parameters, bool isGeneric,
        IReadOnlyList<MethodSchema> methods, IReadOnlyList<ulong> superclassIds)
        : base(NodeKind.Interface, id, displayName, prefix, scopeId, nested, annotations, parameters, isGeneric)
    {
        Methods = methods;
        SuperclassIds = superclassIds;
    }

    /// <summary>The interface's methods.</summary>
    public IReadOnlyList<MethodSchema> Methods { get; }
    /// <summary>Ids of the interfaces it extends.</summary>
    public IReadOnlyList<ulong> SuperclassIds { get; }
}
