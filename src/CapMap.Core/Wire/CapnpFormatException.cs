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
