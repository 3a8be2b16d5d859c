namespace CapMap.Objects.Codecs;

/// <summary>
/// A file read by the schemas its messages carry starts with a message that carries none (it was not written by
/// this version of CapMap): it can only be read with a schema and root type the caller gives.
/// </summary>
public sealed class NoCarriedSchemaException : InvalidOperationException
{
    /// <summary>The first message of <paramref name="path"/> carries no schema.</summary>
    public NoCarriedSchemaException(string path)
        : base($"'{path}' carries no schema (it was not written by this version of CapMap); give -Schema and -RootType.") => Path = path;

    /// <summary>The file.</summary>
    public string Path { get; }
}
