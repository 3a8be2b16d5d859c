using CapMap.Native;

namespace CapMap.Mapping;

/// <summary>
/// The growing file could not be grown or written (disk full, file size limit, truncated by another
/// process, I/O error). Raised by <see cref="MappedFile.ThrowIfFailed"/> and the growth calls once the
/// native fault handler recorded a failure. The mapped content is no longer trustworthy past the failure.
/// </summary>
public sealed class MappedFileFailedException : MappedFileException
{
    /// <summary>Creates the exception.</summary>
    public MappedFileFailedException(string path, int errno, MappedFileFailure reason)
        : base(BuildMessage(path, errno, reason), path, errno)
    {
        Reason = reason;
    }

    /// <summary>Category of the failure.</summary>
    public MappedFileFailure Reason { get; }

    /// <summary>Maps a native slot failure code (positive errno or a negative CapMap code) to an exception.</summary>
    internal static MappedFileFailedException FromNative(string path, int code) => code switch
    {
        NativeMethods.FAIL_TRUNCATED => new(path, Native.Errno.ESTALE, MappedFileFailure.Truncated),
        NativeMethods.FAIL_READ_PAST_EOF => new(path, Native.Errno.EFAULT, MappedFileFailure.ReadPastEnd),
        NativeMethods.FAIL_UNRESOLVED => new(path, Native.Errno.EIO, MappedFileFailure.IOError),
        Native.Errno.ENOSPC => new(path, code, MappedFileFailure.DiskFull),
        Native.Errno.EDQUOT => new(path, code, MappedFileFailure.QuotaExceeded),
        Native.Errno.EFBIG => new(path, code, MappedFileFailure.FileTooLarge),
        Native.Errno.EIO => new(path, code, MappedFileFailure.IOError),
        Native.Errno.ENOMEM => new(path, code, MappedFileFailure.OutOfMemory),
        _ => new(path, code, MappedFileFailure.Other),
    };

    private static string BuildMessage(string path, int errno, MappedFileFailure reason)
    {
        string what = reason switch
        {
            MappedFileFailure.DiskFull => "the disk is full: the file system holding the file has no space left",
            MappedFileFailure.QuotaExceeded => "the disk quota of this user is exhausted",
            MappedFileFailure.FileTooLarge => "the file size limit was reached (RLIMIT_FSIZE / 'ulimit -f', or the file system's maximum file size)",
            MappedFileFailure.Truncated => "the file was truncated by another process while it was being written",
            MappedFileFailure.IOError => "the storage reported an I/O error",
            MappedFileFailure.OutOfMemory => "there was no memory to back the file's pages",
            MappedFileFailure.ReadPastEnd => "a read went past the end of the file",
            _ => "the file could not be grown",
        };
        return $"Writing '{path}' failed: {what}. [{Describe(errno)}] Data written after the failure was discarded.";
    }
}
