using CapMap.Mapping;
using CapMap.Native;
using CapMap.Wire;
using Mono.Unix.Native;

namespace CapMap.IO;

/// <summary>
/// A whole file mapped read-only. Opened with plain open(2) rather than FileStream because .NET takes
/// an advisory flock on Unix, which would collide with the exclusive lock of a writer that is still
/// building (and checkpointing) the same file.
/// </summary>
/// <remarks>
/// A reader takes no lock, so a writer (or anyone) may cut the file while it is mapped; touching a page
/// past the new end raises SIGBUS. The mapping is therefore registered read-only with the
/// <see cref="FaultRegistry"/>: the native handler records the truncation, maps zeros over the rest of
/// the range so the load completes, and returns. Reads then see zeros instead of the file, so every
/// result read through this mapping is only valid if <see cref="ThrowIfTruncated"/> passes after it
/// (<see cref="ReadConsistent{T}"/> does both).
/// </remarks>
internal sealed unsafe class ReadOnlyFileMapping : RegisteredFileView, ITruncatableMemory
{
    private readonly int _fd;

    private ReadOnlyFileMapping(string path, int fd, IntPtr address, long length, (RegionRegistration, MappingHandle) mapping)
        : base(path, address, length, mapping) => _fd = fd;

    /// <summary>
    /// Throws if a read since the open touched a page the file no longer has (the handler's flag: one load,
    /// cheap enough for every pointer a reader follows).
    /// </summary>
    /// <exception cref="FileTruncatedException">The file shrank under a read since it was opened.</exception>
    /// <exception cref="MappedFileException">A page of the file could not be read (the errno says why).</exception>
    public void ThrowIfTruncated(Exception? cause = null) => ThrowIfFailed(cause);

    /// <summary>
    /// <see cref="ThrowIfTruncated"/>, and also throws if the file is now shorter than when it was opened.
    /// A cut inside a page raises no fault: the kernel zeros the rest of that page, and only the file's
    /// length tells.
    /// </summary>
    public void ThrowIfShrunk(Exception? cause = null)
    {
        ThrowIfTruncated(cause);
        if (!IsDisposed && Syscall.fstat(_fd, out var stat) == 0 && stat.st_size < Length)
            throw new FileTruncatedException(Path, Length, cause);
    }

    /// <summary>
    /// Runs <paramref name="read"/> over the mapping and returns its result only if the file stayed whole
    /// meanwhile (<see cref="ThrowIfShrunk"/>). A <see cref="CapnpFormatException"/> raised while the
    /// file was being cut is the cut's doing (the reader saw zeros), so it is reported as the truncation.
    /// </summary>
    public T ReadConsistent<T>(Func<T> read)
    {
        T result;
        try
        {
            result = read();
        }
        catch (CapnpFormatException e)
        {
            ThrowIfShrunk(e);
            throw;
        }
        ThrowIfShrunk();
        return result;
    }

    /// <summary>
    /// Raised with the full path each time a file is mapped, so a test can count the mappings a reader makes of
    /// its own file (the promise is one per opened message file); nothing in the product listens.
    /// </summary>
    internal static event Action<string>? Opened;

    /// <summary>
    /// The mapping for a reader that must not dispose it (<see cref="Wire.MessageReader"/> disposes the memory it
    /// was given): the same truncation checks, and a disposal that leaves the mapping to its owner. Once the owner
    /// has disposed the mapping, the loan's checks throw <see cref="ObjectDisposedException"/> rather than let a
    /// reader go on as if the unmapped memory were whole.
    /// </summary>
    public ITruncatableMemory Lend() => new Loan(this);

    public static ReadOnlyFileMapping Open(string path)
    {
        Opened?.Invoke(System.IO.Path.GetFullPath(path));
        int fd = NativeMethods.Open(path, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0, out int openErr);
        if (fd < 0) throw ErrnoToException(path, "open", openErr);
        try
        {
            if (Syscall.fstat(fd, out var stat) != 0) throw ErrnoToException(path, "fstat", LastErrno());
            if ((stat.st_mode & FilePermissions.S_IFMT) != FilePermissions.S_IFREG)
                throw new IOException($"'{path}' is not a regular file.");
            long length = stat.st_size;
            // Callers that read messages check the length first and report a short file as malformed;
            // this guards the mapping itself (mmap refuses an empty range).
            if (length < 8) throw new IOException($"'{path}' is {length} bytes long; a message needs at least 8.");
            long page = Environment.SystemPageSize;
            long mapped = (length + page - 1) / page * page;
            IntPtr address = Syscall.mmap(IntPtr.Zero, (ulong)mapped, MmapProts.PROT_READ, MmapFlags.MAP_SHARED, fd, 0);
            if (address == Syscall.MAP_FAILED) throw ErrnoToException(path, "mmap", LastErrno());
            // From here the mapping's handle closes fd; if registering fails, fd is still ours, closed below.
            return new ReadOnlyFileMapping(path, fd, address, length, Register(address, mapped, fd, length, closesDescriptor: true));
        }
        catch
        {
            Syscall.close(fd);
            throw;
        }
    }

    // The errno travels with the exception: the cmdlets name the cause by it (AccessDenied for EACCES, EPERM, EROFS).
    private static Exception ErrnoToException(string path, string call, int errno) => errno == Native.Errno.ENOENT
        ? new FileNotFoundException($"'{path}' does not exist.", path)
        : new MappedFileException($"Could not read '{path}' ({call}): {MappedFileException.Describe(errno)}.", path, errno);

    private static int LastErrno() => NativeConvert.FromErrno(Stdlib.GetLastError());

    private sealed class Loan(ReadOnlyFileMapping mapping) : ITruncatableMemory
    {
        public void ThrowIfTruncated(Exception? cause = null)
        {
            ThrowIfReturned();
            mapping.ThrowIfTruncated(cause);
        }

        public void ThrowIfShrunk(Exception? cause = null)
        {
            ThrowIfReturned();
            mapping.ThrowIfShrunk(cause);
        }

        public T ReadConsistent<T>(Func<T> read)
        {
            ThrowIfReturned();
            return mapping.ReadConsistent(read);
        }

        private void ThrowIfReturned() => ObjectDisposedException.ThrowIf(mapping.IsDisposed, mapping);

        public void Dispose() { } // the mapping is its owner's to release
    }
}
