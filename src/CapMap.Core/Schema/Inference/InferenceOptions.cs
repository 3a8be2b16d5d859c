namespace CapMap.Schema.Inference;

/// <summary>How <see cref="SchemaInferrer"/> samples and follows objects.</summary>
public sealed record InferenceOptions
{
    /// <summary>
    /// Levels of nested objects kept as structs (default 1). The record's own properties are always fields; with
    /// depth 1 an object-valued property (and a list of objects) becomes a nested struct of that object's
    /// properties, and anything nested deeper becomes its string, as Export-Csv writes it. Lists do not count as a
    /// level. 1 keeps <c>FileInfo.Directory</c> or <c>Process.MainModule</c> readable while stopping the object
    /// graphs behind them (each level multiplies the properties read per record).
    /// </summary>
    public int Depth { get; init; } = 1;

    /// <summary>
    /// Most structs (objects' and maps' entries) one inferred schema may have (default 1,024). Object graphs fan
    /// out: each level of -Depth multiplies the structs by the object-valued properties of the level above (three
    /// FileInfo at -Depth 4 make hundreds; at -Depth 6 the walk ran for minutes and -Depth 10 exhausted memory).
    /// Past the limit, objects not met before are written as their strings, as beyond -Depth, and the cmdlets warn.
    /// A carried schema may list 16,384 nodes (<see cref="SchemaBudget.Carried"/>), far above this.
    /// </summary>
    public int MaxStructs { get; init; } = 1024;

    /// <summary>Records looked at before the schema is fixed (default 1000).</summary>
    public int SampleSize { get; init; } = 1000;

    /// <summary>How objects show their properties (default: <see cref="ObjectAdapter.Default"/>).</summary>
    public ObjectAdapter Adapter { get; init; } = ObjectAdapter.Default;

    /// <summary>Names of the root struct, its list field and the file.</summary>
    public InferredSchemaOptions Schema { get; init; } = new();

    /// <summary>The record struct's name (default <c>Record</c>).</summary>
    public string RecordType { get; init; } = "Record";
}
