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
