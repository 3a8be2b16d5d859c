namespace CapMap.Objects;

/// <summary>
/// A field path passes through a struct that the arena may have moved since it was created (see
/// <see cref="Wire.ISegmentArena.GetMoveEpoch"/>): it was created while another list was streaming, and that
/// list grew afterwards. Writing through the old builder would corrupt the file, so nothing is written.
/// </summary>
public sealed class MovedStructException : InvalidOperationException
{
    /// <summary>Creates the exception: <paramref name="structPath"/> may have moved, so <paramref name="targetPath"/> cannot be reached.</summary>
    public MovedStructException(string structPath, string targetPath)
        : base($"'{structPath}' was created while records were streaming into another list, and more records were added after it, " +
               $"which moved it in the file; '{targetPath}' cannot be reached through it any more. Write '{structPath}' and what lies " +
               "under it before streaming another list, or after moving on from it.")
    {
        StructPath = structPath;
        TargetPath = targetPath;
    }

    /// <summary>The struct that may have moved.</summary>
    public string StructPath { get; }

    /// <summary>The field path that was to be written through it.</summary>
    public string TargetPath { get; }
}
