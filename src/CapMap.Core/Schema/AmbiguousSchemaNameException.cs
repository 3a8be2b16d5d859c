namespace CapMap.Schema;

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
