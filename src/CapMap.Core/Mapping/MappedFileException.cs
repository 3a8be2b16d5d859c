namespace CapMap.Mapping;

/// <summary>Base class of every error raised by <see cref="MappedFile"/> and <see cref="FaultRegistry"/>.</summary>
public class MappedFileException : IOException
{
    /// <summary>Creates the exception.</summary>
    public MappedFileException(string message, string? path = null, int errno = 0, Exception? inner = null)
        : base(message, inner)
    {
        FilePath = path;
        Errno = errno;
    }

    /// <summary>The file concerned, if any.</summary>
    public string? FilePath { get; }

    /// <summary>The Linux errno behind the error (0 if none).</summary>
    public int Errno { get; }

    /// <summary>
    /// The system refused the access itself (EACCES, EPERM, or EROFS: a read-only file system): the same
    /// refusal whichever operation met it, and no retry without other permissions or another place helps.
    /// </summary>
    public bool IsAccessDenied => Errno is Native.Errno.EACCES or Native.Errno.EPERM or Native.Errno.EROFS;

    internal static string Describe(int errno)
    {
        if (errno <= 0)
            return "unknown error";
        string name = Mono.Unix.Native.NativeConvert.TryToErrno(errno, out Mono.Unix.Native.Errno e) ? e.ToString() : "errno " + errno;
        return $"{System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)} ({name})";
    }
}
