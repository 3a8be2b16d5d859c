using Mono.Unix.Native;

namespace CapMap.IO;

/// <summary>
/// A copy-on-write view of the start of a file (mmap MAP_PRIVATE): writes change only this process's
/// pages, never the file. Repair applies a checkpoint's header to such a view and walks the result
/// before it touches the file, so a checkpoint whose data is not intact leaves the file as it was.
/// </summary>
internal sealed unsafe class PrivateFileView : IDisposable
{
    private IntPtr _address;

    private PrivateFileView(IntPtr address, long length)
    {
        _address = address;
        Length = length;
    }

    public byte* Pointer => (byte*)_address;
    public long Length { get; }

    /// <summary>Maps the first <paramref name="length"/> bytes of <paramref name="path"/>, which must be that long.</summary>
    public static PrivateFileView Open(string path, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        int fd = Syscall.open(path, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC);
        if (fd < 0) throw new IOException($"'{path}': {Stdlib.strerror(Stdlib.GetLastError())}.");
        try
        {
            IntPtr address = Syscall.mmap(IntPtr.Zero, (ulong)length, MmapProts.PROT_READ | MmapProts.PROT_WRITE, MmapFlags.MAP_PRIVATE, fd, 0);
            if (address == Syscall.MAP_FAILED) throw new IOException($"Could not map '{path}': {Stdlib.strerror(Stdlib.GetLastError())}.");
            return new PrivateFileView(address, length);
        }
        finally
        {
            Syscall.close(fd);
        }
    }

    public void Dispose()
    {
        if (_address == IntPtr.Zero) return;
        Syscall.munmap(_address, (ulong)Length);
        _address = IntPtr.Zero;
    }
}
