namespace CapMap.Schema.Inference;

/// <summary>A value does not fit the type inferred for its field (e.g. text arrives after a sample of numbers).</summary>
public sealed class InferredValueException : CapnpSchemaException
{
    /// <summary>Creates the exception.</summary>
    public InferredValueException(string message, Exception? inner = null) : base(message, inner!) { }
}
