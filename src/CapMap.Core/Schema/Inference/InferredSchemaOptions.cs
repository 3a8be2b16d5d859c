namespace CapMap.Schema.Inference;

/// <summary>Names of the root struct, its list field and the file an <see cref="InferredSchema"/> is written as.</summary>
public sealed record InferredSchemaOptions
{
    /// <summary>The root struct's name (default <c>Batch</c>).</summary>
    public string RootType { get; init; } = "Batch";

    /// <summary>The root's one field, the list of records (default <c>records</c>).</summary>
    public string RecordsField { get; init; } = "records";

    /// <summary>The file name in display names and in the request (default <c>inferred.capnp</c>).</summary>
    public string FileName { get; init; } = "inferred.capnp";
}
