namespace CapMap.Schema;

/// <summary>
/// A schema goes past its <see cref="SchemaBudget"/> (too many nodes, too many annotation bytes, or nesting deeper
/// than <see cref="SchemaBudget.MaxNesting"/>). For a schema a message file carries it means the file is not a
/// valid CapMap message (the cmdlets say <c>InvalidMessageFile</c>), not that a user's schema is wrong.
/// </summary>
public sealed class SchemaBudgetException : CapnpSchemaException
{
    /// <summary>Creates the exception.</summary>
    public SchemaBudgetException(string message) : base(message) { }
}
