namespace CapMap.Wire;

/// <summary>
/// Limits that keep a reader safe on hostile input, with C++'s defaults. A CapMap file is often far
/// larger than the default 64 MiB traversal limit: use <see cref="Unlimited"/> (or a limit sized to the
/// file) for files you trust, as <c>capnp convert</c> does.
/// </summary>
public sealed class ReaderOptions
{
    /// <summary>Words a reader may visit in total; each struct, list and blob read is charged its size.</summary>
    public long TraversalLimitInWords { get; init; } = WireLimits.DefaultTraversalLimitInWords;

    /// <summary>How deep pointers may nest below the root.</summary>
    public int NestingLimit { get; init; } = WireLimits.DefaultNestingLimit;

    /// <summary>The defaults: 64 MiB of traversal, nesting depth 64 (as the C++ reader), for untrusted input.</summary>
    public static ReaderOptions Default { get; } = new();

    /// <summary>No traversal or nesting limit: only for data the caller trusts.</summary>
    public static ReaderOptions Unlimited { get; } = new() { TraversalLimitInWords = long.MaxValue, NestingLimit = int.MaxValue };
}
