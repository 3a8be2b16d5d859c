namespace CapMap.Mapping;

/// <summary>What made a <see cref="MappedFile"/> fail (see <see cref="MappedFileFailedException"/>).</summary>
public enum MappedFileFailure
{
    /// <summary>An error with no more specific category; see the errno.</summary>
    Other = 0,
    /// <summary>ENOSPC: the file system is full.</summary>
    DiskFull,
    /// <summary>EDQUOT: the user's disk quota is exhausted.</summary>
    QuotaExceeded,
    /// <summary>EFBIG: RLIMIT_FSIZE (ulimit -f) or the file system's maximum file size was reached.</summary>
    FileTooLarge,
    /// <summary>The file became shorter than what was written: another party truncated it.</summary>
    Truncated,
    /// <summary>EIO: the storage reported an I/O error.</summary>
    IOError,
    /// <summary>ENOMEM: no memory to back the pages (or to map a throwaway page).</summary>
    OutOfMemory,
    /// <summary>A read-only mapping was accessed past the end of its file.</summary>
    ReadPastEnd,
}
