namespace CapMap.Objects;

/// <summary>
/// Records were added to a List(Struct) that was closed when records went to another list: a mapped message
/// streams one list at a time, and a closed list cannot be reopened.
/// </summary>
public sealed class ListAlreadyCompletedException : InvalidOperationException
{
    /// <summary>Creates the exception for the list at <paramref name="path"/>.</summary>
    public ListAlreadyCompletedException(string path)
        : base($"The list '{path}' was closed when records were added to another list; a mapped message streams one list " +
               "at a time, so add all records of a list before moving to the next.")
        => Path = path;

    /// <summary>The list's field path.</summary>
    public string Path { get; }
}
