namespace CapMap.Messages;

/// <summary>A word to write back when restoring a checkpoint (the root pointer, a list's committed count).</summary>
public readonly record struct WordPatch(long FileOffset, ulong Value);
