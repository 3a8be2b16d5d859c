using CapMap.Native;
using Mono.Unix.Native;

namespace CapMap.Mapping;

// Opening: creating or opening the file, locking it, mapping it and registering it with the fault handler.

public sealed unsafe partial class MappedFile
{
    /// <summary>
    /// Creates (or, with <see cref="MappedFileOptions.Overwrite"/>, truncates) <paramref name="path"/> and
    /// maps it empty for writing.
    /// </summary>
    /// <exception cref="MappedFileExistsException">The file exists and Overwrite is false.</exception>
    /// <exception cref="FileLockedException">Another writer or reader has the file open.</exception>
    /// <exception cref="RegistryFullException">Too many growing files are open in this process.</exception>
    /// <exception cref="MappedFileException">open/mmap failed.</exception>
    public static MappedFile Create(string path, MappedFileOptions? options = null)
    {
        options ??= new MappedFileOptions();
        ArgumentException.ThrowIfNullOrEmpty(path);
        FaultRegistry.EnsureInstalled();
        string full = System.IO.Path.GetFullPath(path);
        long page = Environment.SystemPageSize;
        long reserve = NativeRange.AlignUp(Positive(options.ReserveBytes, nameof(options.ReserveBytes)), page);
        long chunk = NativeRange.AlignUp(Positive(options.ChunkBytes, nameof(options.ChunkBytes)), page);

        // Try to create it exclusively first so that we know whether we created it (then a failure
        // later in this method removes it again). O_EXCL also fails on a symbolic link, dangling or not.
        bool created = true;
        const OpenFlags CreateFlags = OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_CLOEXEC;
        int fd = Native.NativeMethods.Open(full, CreateFlags, options.CreateMode, out int openErr);
        if (fd < 0)
        {
            if (openErr != Native.Errno.EEXIST)
                throw OpenFailed(full, openErr);
            if (!options.Overwrite)
                throw new MappedFileExistsException(full);
            created = false;
            // O_NOFOLLOW: replacing a file never writes through a symbolic link into the file it names (which may be
            // anyone's, anywhere); the link itself is what is replaced, by a new file in its place.
            fd = Native.NativeMethods.Open(full, OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC | OpenFlags.O_NOFOLLOW, 0, out openErr);
            if (fd < 0 && openErr == Native.Errno.ELOOP)
            {
                if (Syscall.unlink(full) != 0 && LastErrno() != Native.Errno.ENOENT)
                    throw new MappedFileException($"Could not remove the symbolic link '{full}' to replace it: {MappedFileException.Describe(LastErrno())}", full, LastErrno());
                created = true;
                fd = Native.NativeMethods.Open(full, CreateFlags, options.CreateMode, out openErr);
            }
            if (fd < 0)
                throw openErr == Native.Errno.EEXIST ? new MappedFileExistsException(full) : OpenFailed(full, openErr);
        }

        try
        {
            // Lock BEFORE truncating: a file another writer is building must be left untouched.
            Lock(fd, full, exclusive: true);
            if (!created && Syscall.ftruncate(fd, 0) != 0)
            {
                int err = LastErrno();
                throw new MappedFileException($"Could not truncate '{full}': {MappedFileException.Describe(err)}", full, err);
            }
            return MapAndRegister(full, fd, reserve, chunk, options, committed: 0, readOnly: false);
        }
        catch (Exception ex)
        {
            Syscall.close(fd); // also releases the flock of this open file description
            // Remove the empty file we created, unless someone else got hold of it meanwhile.
            if (created && ex is not FileLockedException)
                Syscall.unlink(full);
            throw;
        }
    }

    /// <summary>
    /// Opens an existing file (for reading, or for repair/continued writing) with its content. The mapping
    /// reserves max(<see cref="MappedFileOptions.ReserveBytes"/>, file size). Read-only opens take a shared
    /// lock (several readers, no writer); writable opens an exclusive lock. A writable open pads a file whose
    /// size is not a page multiple with zeros up to the next page boundary (see <see cref="SetLength"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FileLockedException">A conflicting lock is held.</exception>
    public static MappedFile Open(string path, MappedFileOptions? options = null, bool readOnly = false) =>
        OpenCore(path, options, readOnly, padToPage: !readOnly);

    /// <summary>
    /// Opens writable like <see cref="Open"/>, but leaves the file's length as it is (<see cref="CommittedBytes"/>
    /// is then that length, measured under the lock): a caller that must not change a byte before it has decided
    /// to (repair, append) pads the last page itself, and never writes past the length before it does.
    /// </summary>
    internal static MappedFile OpenKeepingLength(string path, MappedFileOptions? options = null) =>
        OpenCore(path, options, readOnly: false, padToPage: false);

    private static MappedFile OpenCore(string path, MappedFileOptions? options, bool readOnly, bool padToPage)
    {
        options ??= new MappedFileOptions();
        ArgumentException.ThrowIfNullOrEmpty(path);
        FaultRegistry.EnsureInstalled();
        string full = System.IO.Path.GetFullPath(path);
        long page = Environment.SystemPageSize;
        long chunk = NativeRange.AlignUp(Positive(options.ChunkBytes, nameof(options.ChunkBytes)), page);

        int fd = Native.NativeMethods.Open(full, (readOnly ? OpenFlags.O_RDONLY : OpenFlags.O_RDWR) | OpenFlags.O_CLOEXEC, 0, out int openErr);
        if (fd < 0)
        {
            if (openErr == Native.Errno.ENOENT)
                throw new FileNotFoundException($"'{full}' does not exist.", full);
            throw OpenFailed(full, openErr);
        }
        try
        {
            Lock(fd, full, exclusive: !readOnly);
            if (Syscall.fstat(fd, out Stat st) != 0)
            {
                int err = LastErrno();
                throw new MappedFileException($"fstat('{full}') failed: {MappedFileException.Describe(err)}", full, err);
            }
            long size = st.st_size;
            if (!readOnly && padToPage && size % page != 0)
            {
                // Never write through a partial last page: bytes stored past EOF in that page are
                // zeroed by the kernel when the file is extended. Pad the file to a page boundary
                // (with zeros); the final SetLength cuts it to the real length.
                size = NativeRange.AlignUp(size, page);
                if (Syscall.ftruncate(fd, size) != 0)
                {
                    int err = LastErrno();
                    throw new MappedFileException($"Could not pad '{full}' to a page boundary: {MappedFileException.Describe(err)}", full, err);
                }
            }
            long reserve = NativeRange.AlignUp(Math.Max(Positive(options.ReserveBytes, nameof(options.ReserveBytes)), Math.Max(size, 1)), page);
            return MapAndRegister(full, fd, reserve, chunk, options, size, readOnly);
        }
        catch
        {
            Syscall.close(fd);
            throw;
        }
    }

    private static MappedFile MapAndRegister(string full, int fd, long reserve, long chunk, MappedFileOptions options, long committed, bool readOnly)
    {
        MmapProts prot = readOnly ? MmapProts.PROT_READ : MmapProts.PROT_READ | MmapProts.PROT_WRITE;
        // MAP_NORESERVE: reserving 64 GiB of address space costs neither memory nor swap accounting.
        IntPtr addr = Syscall.mmap(IntPtr.Zero, (ulong)reserve, prot, MmapFlags.MAP_SHARED | MmapFlags.MAP_NORESERVE, fd, 0);
        if (addr == new IntPtr(-1) || addr == IntPtr.Zero)
        {
            int err = LastErrno();
            throw new MappedFileException($"Could not map {reserve} bytes of '{full}': {MappedFileException.Describe(err)}. Lower ReserveBytes or raise 'ulimit -v'.", full, err);
        }
        var handle = new MappingHandle(addr, reserve);
        if (!readOnly) AdviseNoReadAround(addr, reserve, committed);
        try
        {
            RegionFlags flags = readOnly ? RegionFlags.ReadOnly : RegionFlags.None;
            if (options.Populate && options.Growth == GrowthMode.Fault)
                flags |= RegionFlags.PopulateOnFault;
            RegionRegistration reg = FaultRegistry.Register(addr, reserve, fd, chunk, committed, flags);
            handle.Adopt(reg, fd); // from here the handle closes fd: nothing below may throw
            return new MappedFile(full, fd, addr, reserve, reg, handle, options.Growth, chunk, options.Populate, readOnly, committed);
        }
        catch
        {
            handle.Dispose(); // unmaps; the caller still owns and closes fd
            throw;
        }
    }

    /// <summary>
    /// How long a conflicting lock is waited for before the file counts as taken. A process that forks
    /// (any Process.Start) briefly holds copies of every descriptor, O_CLOEXEC or not, until it execs; a
    /// writer that just closed the file can leave its lock alive in such a child for a moment.
    /// </summary>
    private static readonly TimeSpan LockGracePeriod = TimeSpan.FromMilliseconds(250);

    private static void Lock(int fd, string path, bool exclusive)
    {
        int op = (exclusive ? NativeMethods.LOCK_EX : NativeMethods.LOCK_SH) | NativeMethods.LOCK_NB;
        long deadline = Environment.TickCount64 + (long)LockGracePeriod.TotalMilliseconds;
        while (NativeMethods.flock(fd, op) != 0)
        {
            int err = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (err == Native.Errno.EINTR)
                continue;
            if (err == Native.Errno.EWOULDBLOCK && Environment.TickCount64 < deadline)
            {
                Thread.Sleep(10);
                continue;
            }
            if (err == Native.Errno.EWOULDBLOCK)
                throw new FileLockedException(path);
            throw new MappedFileException($"Could not lock '{path}': {MappedFileException.Describe(err)}", path, err);
        }
    }

    private static MappedFileException OpenFailed(string path, int err) =>
        new($"Could not open '{path}': {MappedFileException.Describe(err)}", path, err);
}
