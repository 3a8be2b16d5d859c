namespace CapMap.Objects;

/// <summary>What is wrong with a field path.</summary>
public enum FieldPathError
{
    /// <summary>A part of the path names no field.</summary>
    NotFound,

    /// <summary>No path was given and the root has no single List(Struct) field to default to.</summary>
    Required,

    /// <summary>The path ends at a field that holds no records, or passes through one that is not a struct.</summary>
    TypeNotSupported,
}

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
