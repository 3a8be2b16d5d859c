using CapMap.Mapping;
using CapMap.Native;
using Mono.Unix.Native;

namespace CapMap.IO;

/// <summary>
/// A copy-on-write view of the start of a file (mmap MAP_PRIVATE): writes change only this process's
/// pages, never the file. Repair applies a checkpoint's header to such a view and walks the result
/// before it touches the file, so a checkpoint whose data is not intact leaves the file as it was.
/// </summary>
/// <remarks>
/// Its first read of a page reads the file, which can fail (EIO from the storage, or the file cut by someone who
/// does not take the lock). Unregistered, that SIGBUS would end the process; so the view is registered read-only
/// with the <see cref="FaultRegistry"/>, as <see cref="ReadOnlyFileMapping"/> is: the handler records the failure
/// and puts a zero page in place, and <see cref="ThrowIfDamaged"/> turns the record into an exception. Anything
/// read through the view is only valid if that passes after the read.
/// </remarks>
internal sealed unsafe class PrivateFileView : RegisteredFileView
{
    private PrivateFileView(string path, IntPtr address, long length, (RegionRegistration, MappingHandle) mapping)
        : base(path, address, length, mapping) { }

    /// <summary>Throws when a read since the open touched a page the file could not give.</summary>
    /// <exception cref="FileTruncatedException">The file was cut under the view.</exception>
    /// <exception cref="MappedFileException">A page could not be read (the errno says why).</exception>
    public void ThrowIfDamaged(Exception? cause = null) => ThrowIfFailed(cause);

    /// <summary>
    /// Maps the first <paramref name="length"/> bytes of <paramref name="file"/>, which must be that long, through the
    /// descriptor <paramref name="file"/> already holds: the view is of the very file its caller locked and measured,
    /// not whatever the path names by now, and the path is not opened again. The view borrows that descriptor, so it
    /// must be disposed before <paramref name="file"/> (the handler must never fstat a closed descriptor).
    /// </summary>
    public static PrivateFileView Open(MappedFile file, long length)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        int fd = file.Descriptor;
        long page = Environment.SystemPageSize;
        long mapped = (length + page - 1) / page * page;
        IntPtr address = Syscall.mmap(IntPtr.Zero, (ulong)mapped, MmapProts.PROT_READ | MmapProts.PROT_WRITE, MmapFlags.MAP_PRIVATE, fd, 0);
        if (address == Syscall.MAP_FAILED)
        {
            int errno = NativeConvert.FromErrno(Stdlib.GetLastError());
            throw new MappedFileException($"Could not map '{file.Path}': {MappedFileException.Describe(errno)}.", file.Path, errno);
        }
        // The descriptor stays the file's: the view unregisters and unmaps, never closes.
        return new PrivateFileView(file.Path, address, length, Register(address, mapped, fd, length, closesDescriptor: false));
    }
}
