namespace CapMap.Wire;

/// <summary>
/// The bytes being read are not a valid Cap'n Proto message, or reading them would exceed the
/// reader's traversal or nesting limit. Every malformed input ends in this exception (never an
/// IndexOutOfRangeException or an access violation), so callers can catch exactly one type.
/// </summary>
public class CapnpFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CapnpFormatException(string message) : base(message) { }
    /// <summary>Creates the exception with its cause.</summary>
    public CapnpFormatException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// A message being built would break a limit of the encoding: more than 511 segments, a segment over
/// 2^29−1 words, a list longer than 2^29−1 elements, or an arena that cannot supply more space.
/// </summary>
public class CapnpCapacityException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CapnpCapacityException(string message) : base(message) { }
    /// <summary>Creates the exception with its cause.</summary>
    public CapnpCapacityException(string message, Exception inner) : base(message, inner) { }
}

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
