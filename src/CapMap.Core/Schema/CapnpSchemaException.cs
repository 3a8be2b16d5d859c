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

/// <summary>A short or nested name matched more than one schema node.</summary>
public sealed class AmbiguousSchemaNameException : CapnpSchemaException
{
    /// <summary>Creates the exception for <paramref name="name"/>, which matches every one of <paramref name="candidates"/>.</summary>
    public AmbiguousSchemaNameException(string name, IReadOnlyList<string> candidates)
        : base($"The schema name '{name}' is ambiguous; it matches: {string.Join(", ", candidates)}. Use the full display name (file:Name).")
    {
        Name = name;
        Candidates = candidates;
    }

    /// <summary>The name that was looked up.</summary>
    public string Name { get; }

    /// <summary>Display names of all nodes that matched.</summary>
    public IReadOnlyList<string> Candidates { get; }
}
