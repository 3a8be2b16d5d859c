namespace CapMap.Wire;

/// <summary>
/// Reading went past the reader's traversal limit: a message larger than the limit, pointers that share or loop, or
/// elements of zero size, which cost nothing to store and one word each to visit (a few bytes can claim millions).
/// </summary>
public sealed class CapnpTraversalLimitException : CapnpFormatException
{
    /// <summary>Creates the exception.</summary>
    public CapnpTraversalLimitException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause (a reader's own limit error wrapped by a caller that set the limit).</summary>
    public CapnpTraversalLimitException(string message, Exception inner) : base(message, inner) { }
}
