namespace CapMap.Messages;

/// <summary>A word to write back when restoring a checkpoint (the root pointer, a list's committed count).</summary>
/// <remarks>
/// A class, not a struct: lists, arrays and LINQ over a struct of CapMap's are generic instantiations that ReadyToRun
/// cannot precompile (the generic code is the runtime's), so every process JIT-compiled them, about a hundred and
/// forty methods per export for these four types; over a class they run the runtime's shared, precompiled code.
/// </remarks>
public sealed record WordPatch(long FileOffset, ulong Value);
