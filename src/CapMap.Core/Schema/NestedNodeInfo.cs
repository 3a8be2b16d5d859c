namespace CapMap.Schema;

/// <summary>A <c>Node.NestedNode</c>: a name declared inside a file, struct, enum or interface scope.</summary>
public readonly record struct NestedNodeInfo(string Name, ulong Id);
