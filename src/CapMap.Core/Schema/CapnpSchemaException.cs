namespace CapMap.Schema;

/// <summary>
/// A schema (a <c>CodeGeneratorRequest</c>) is malformed, refers to nodes it does not contain, or a lookup
/// by name failed. Wire-level damage found while reading the request is reported as this exception with the
/// reader's <c>CapnpFormatException</c> as <see cref="Exception.InnerException"/>.
/// </summary>
public class CapnpSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CapnpSchemaException(string message) : base(message) { }
    /// <summary>Creates the exception with its cause.</summary>
    public CapnpSchemaException(string message, Exception innerException) : base(message, innerException) { }
}
