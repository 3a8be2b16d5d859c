namespace CapMap.Schema;

/// <summary>The kind of a schema node (the tags of <c>Node</c>'s union in schema.capnp).</summary>
public enum NodeKind : ushort
{
    /// <summary>A schema file: the scope of its top-level declarations.</summary>
    File = 0,
    /// <summary>A struct or group.</summary>
    Struct = 1,
    /// <summary>An enum.</summary>
    Enum = 2,
    /// <summary>An interface.</summary>
    Interface = 3,
    /// <summary>A constant.</summary>
    Const = 4,
    /// <summary>An annotation declaration.</summary>
    Annotation = 5,
}
