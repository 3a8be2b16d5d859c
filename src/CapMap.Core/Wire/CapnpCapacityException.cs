namespace CapMap.Wire;

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
