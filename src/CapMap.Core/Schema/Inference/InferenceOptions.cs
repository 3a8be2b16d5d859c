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

    /// <summary>The greatest <see cref="Depth"/> the cmdlets take, as ConvertTo-Json's -Depth.</summary>
    public const int MaxDepth = 100;

    /// <summary>
    /// Most structs (objects' and maps' entries) one inferred schema may have (default 1,024). Object graphs fan
    /// out: each level of -Depth multiplies the structs by the object-valued properties of the level above (three
    /// FileInfo at -Depth 4 make hundreds; at -Depth 6 the walk ran for minutes and -Depth 10 exhausted memory).
    /// Past the limit, objects not met before are written as their strings, as beyond -Depth, and the cmdlets warn.
    /// A carried schema may list 16,384 nodes (<see cref="SchemaBudget.Carried"/>), far above this.
    /// </summary>
    public int MaxStructs { get; init; } = 1024;

    /// <summary>
    /// Most values one record may have at <see cref="Depth"/> (default <see cref="DefaultMaxValuesPerRecord"/>): every
    /// property, list element and map entry that is not null, at every level of nesting. A record past it is neither
    /// sampled nor written (<see cref="RecordTooLargeException"/>, which names the -Depth that fits); the records
    /// around it are. It bounds the time and memory of one record where -Depth alone does not: object graphs
    /// (FileInfo's drive and provider, a process's modules) fan out with each level, and a hashtable may hold itself.
    /// </summary>
    public int MaxValuesPerRecord { get; init; } = DefaultMaxValuesPerRecord;

    /// <summary>The default of <see cref="MaxValuesPerRecord"/>: PLACEHOLDER.</summary>
    public const int DefaultMaxValuesPerRecord = 100_000;

    /// <summary>Records looked at before the schema is fixed (default 1000).</summary>
    public int SampleSize { get; init; } = 1000;

    /// <summary>How objects show their properties (default: <see cref="ObjectAdapter.Default"/>).</summary>
    public ObjectAdapter Adapter { get; init; } = ObjectAdapter.Default;

    /// <summary>Names of the root struct, its list field and the file.</summary>
    public InferredSchemaOptions Schema { get; init; } = new();

    /// <summary>The record struct's name (default <c>Record</c>).</summary>
    public string RecordType { get; init; } = "Record";
}
