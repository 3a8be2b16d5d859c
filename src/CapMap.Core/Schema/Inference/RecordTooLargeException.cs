namespace CapMap.Schema.Inference;

/// <summary>
/// A record expands to more values than one record may (<see cref="InferenceOptions.MaxValuesPerRecord"/>) at the
/// -Depth it is written with: object graphs (a FileInfo's drive, provider and types, a process's modules, a
/// hashtable that holds itself) fan out with each level, so without a bound one record can take minutes and all
/// memory. The record is neither sampled nor written; the records before and after it are. Thrown by the sample walk
/// (<see cref="SchemaInferrer.Add"/>) and by the writer of an inferred schema.
/// </summary>
public sealed class RecordTooLargeException : ArgumentException
{
    /// <summary>A rejection of a record that has more than <paramref name="maxValues"/> values at <paramref name="depth"/>.</summary>
    /// <param name="maxValues">The budget: most values one record may have.</param>
    /// <param name="depth">The -Depth the record was walked with.</param>
    /// <param name="depthThatFits">The greatest -Depth at which it stays within the budget; null if even its own properties exceed it.</param>
    public RecordTooLargeException(int maxValues, int depth, int? depthThatFits)
        : base(FormatMessage(maxValues, depth, depthThatFits))
    {
        MaxValues = maxValues;
        Depth = depth;
        DepthThatFits = depthThatFits;
    }

    /// <summary>The budget: most values (properties, list elements, map entries, nested at any level) one record may have.</summary>
    public int MaxValues { get; }

    /// <summary>The -Depth the record was walked with.</summary>
    public int Depth { get; }

    /// <summary>The greatest -Depth at which the record stays within the budget; null if even its own properties exceed it.</summary>
    public int? DepthThatFits { get; }

    private static string FormatMessage(int maxValues, int depth, int? fits) =>
        $"The record has more than {maxValues:N0} values at -Depth {depth} (the most one record may have); "
        + (fits is { } d ? $"-Depth {d} keeps it within that." : "its own properties alone are more than that.");
}
