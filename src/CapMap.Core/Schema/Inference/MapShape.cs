namespace CapMap.Schema.Inference;

/// <summary>
/// Values seen so far were dictionaries below the record: the shape of all their values, whatever their key
/// (written as a list of key/value entries, <see cref="ClrKind.Map"/>).
/// </summary>
internal sealed class MapShape : ValueShape
{
    public MapShape(string? argument) => Argument = argument;

    /// <summary><c>Ordered</c> while every dictionary seen was an OrderedDictionary; null otherwise.</summary>
    public string? Argument { get; private set; }

    /// <summary>The values' shape; null while no value (or only nulls) was seen.</summary>
    public ValueShape? Value { get; set; }

    public void Merge(string? argument)
    {
        if (argument != Argument) Argument = null;
    }

    /// <summary>The argument a dictionary gives its map: <c>Ordered</c> for an OrderedDictionary (the flavour read back).</summary>
    public static string? ArgumentOf(System.Collections.IDictionary dictionary) =>
        dictionary is System.Collections.Specialized.OrderedDictionary ? "Ordered" : null;
}
