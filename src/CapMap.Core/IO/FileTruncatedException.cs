namespace CapMap.IO;

/// <summary>
/// The file was cut shorter (by another process or another writer) while it was being read through its mapping.
/// What the reader saw past the new end was zeros, not the file, so nothing it read can be trusted.
/// </summary>
public sealed class FileTruncatedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public FileTruncatedException(string path, long mappedBytes, Exception? inner = null)
        : base($"'{path}' was truncated while it was being read (it was {mappedBytes} bytes when opened); " +
               "the read was abandoned. Read it again once the writer is done.", inner)
    {
        FilePath = path;
        MappedBytes = mappedBytes;
    }

    /// <summary>The file that shrank.</summary>
    public string FilePath { get; }

    /// <summary>Length of the file when the reader mapped it.</summary>
    public long MappedBytes { get; }
}
