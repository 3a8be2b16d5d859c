namespace CapMap.Schema;

/// <summary>A <c>Node.NestedNode</c>: a name declared inside a file, struct, enum or interface scope.</summary>
/// <remarks>A class, not a struct, for the reason <see cref="CapMap.Messages.WordPatch"/> gives.</remarks>
public sealed record NestedNodeInfo(string Name, ulong Id);
