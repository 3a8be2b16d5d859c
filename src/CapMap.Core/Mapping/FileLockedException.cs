namespace CapMap.Mapping;

/// <summary>
/// Another writer (in this process or another one) holds the file's exclusive lock, or a reader holds a
/// shared lock that conflicts with the requested access.
/// </summary>
public sealed class FileLockedException : MappedFileException
{
    /// <summary>Creates the exception.</summary>
    public FileLockedException(string path)
        : base($"'{path}' is locked: another CapMap writer or reader (in this or another process) has it open. Close it first.", path, Native.Errno.EWOULDBLOCK)
    {
    }
}
