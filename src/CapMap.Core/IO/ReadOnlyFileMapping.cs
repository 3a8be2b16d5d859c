using Mono.Unix.Native;

namespace CapMap.IO;

/// <summary>
/// A whole file mapped read-only. Opened with plain open(2) rather than FileStream because .NET takes
/// an advisory flock on Unix, which would collide with the exclusive lock of a writer that is still
/// building (and checkpointing) the same file.
/// </summary>
internal sealed unsafe class ReadOnlyFileMapping : IDisposable
{
    private IntPtr _address;

    private ReadOnlyFileMapping(IntPtr address, long length)
    {
        _address = address;
        Length = length;
    }

    public byte* Pointer => (byte*)_address;
    public long Length { get; }

    public static ReadOnlyFileMapping Open(string path)
    {
        int fd = Syscall.open(path, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC);
        if (fd < 0) throw ErrnoToException(path, Stdlib.GetLastError());
        try
        {
            if (Syscall.fstat(fd, out var stat) != 0) throw ErrnoToException(path, Stdlib.GetLastError());
            if ((stat.st_mode & FilePermissions.S_IFMT) != FilePermissions.S_IFREG)
                throw new IOException($"'{path}' is not a regular file.");
            long length = stat.st_size;
            // mmap refuses an empty range; an empty file maps to no memory, and the reader reports it as too short.
            if (length == 0) return new ReadOnlyFileMapping(IntPtr.Zero, 0);
            IntPtr address = Syscall.mmap(IntPtr.Zero, (ulong)length, MmapProts.PROT_READ, MmapFlags.MAP_SHARED, fd, 0);
            if (address == Syscall.MAP_FAILED) throw ErrnoToException(path, Stdlib.GetLastError());
            return new ReadOnlyFileMapping(address, length);
        }
        finally
        {
            Syscall.close(fd);
        }
    }

    private static Exception ErrnoToException(string path, Errno errno) => errno switch
    {
        Errno.ENOENT => new FileNotFoundException($"'{path}' does not exist.", path),
        Errno.EACCES or Errno.EPERM => new UnauthorizedAccessException($"Access to '{path}' is denied."),
        _ => new IOException($"'{path}': {Stdlib.strerror(errno)} ({errno})."),
    };

    public void Dispose()
    {
        if (_address == IntPtr.Zero) return;
        Syscall.munmap(_address, (ulong)Length);
        _address = IntPtr.Zero;
    }
}
