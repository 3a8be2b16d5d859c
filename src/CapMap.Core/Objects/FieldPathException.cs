namespace CapMap.Objects;

/// <summary>A field path that does not lead to a List(Struct), struct or group field (see <see cref="FieldPath.Resolve"/>).</summary>
public sealed class FieldPathException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public FieldPathException(FieldPathError error, string path, string message) : base(message)
    {
        Error = error;
        Path = path;
    }

    /// <summary>What is wrong.</summary>
    public FieldPathError Error { get; }

    /// <summary>The path as given (or the root type's name when none was given).</summary>
    public string Path { get; }
}
