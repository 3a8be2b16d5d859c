using CapMap.Native;
using Mono.Unix.Native;

namespace CapMap.Mapping;

/// <summary>
/// One file mapped MAP_SHARED over a large reserved address range, growing on demand.
/// </summary>
/// <remarks>
/// <para>
/// The file is opened O_RDWR|O_CLOEXEC and locked with flock(LOCK_EX|LOCK_NB) for its whole life (flock,
/// not fcntl: fcntl record locks are per process — a second open in this process would not conflict —
/// and are released when the process closes ANY descriptor of the file). The lock is advisory: it keeps
/// out a second CapMap writer and .NET FileStreams (which take flock too), not arbitrary programs.
/// </para>
/// <para>
/// In <see cref="GrowthMode.Fault"/> mode a write past the end of the file raises SIGBUS and the native
/// handler extends the file one growth step at a time with fallocate (so a full disk is reported instead of
/// faulting later); steps start at a few pages and double up to <see cref="ChunkBytes"/>, capped by the free
/// space, and a step that fails gives back the blocks the file system kept for it. In <see cref="GrowthMode.Eager"/> mode the writer calls <see cref="EnsureCommitted"/>.
/// A failure (disk full, size limit, truncation, I/O error) never kills the process: it is recorded and
/// later writes land in a throwaway page; <see cref="ThrowIfFailed"/> raises it. Writers must call
/// <see cref="ThrowIfFailed"/> after a batch of writes and before finishing the file.
/// </para>
/// <para>
/// Mono.Posix.NETStandard serves open, fstat, ftruncate, mmap, msync, fsync, munmap and close; fallocate
/// with flags and MADV_POPULATE_WRITE are not in it and go through the native library; flock through libc.
/// All public members are thread-safe except <see cref="SetLength"/> and <see cref="TryCollapseRange"/>,
/// which must not run while other threads write the mapping, and <see cref="Dispose"/>, after which no
/// thread may touch <see cref="Base"/>.
/// </para>
/// </remarks>
public sealed unsafe class MappedFile : IDisposable
{
    private readonly RegionRegistration _registration;
    private readonly MappingHandle _handle; // owns mapping, registration and descriptor (released even if never disposed)
    private readonly int _fd;
    private readonly IntPtr _base;
    private long _committedHint; // last known committed size (fast path of EnsureCommitted)
    private int _disposed;

    private MappedFile(string path, int fd, IntPtr baseAddress, long reserved, RegionRegistration registration, MappingHandle handle,
                       GrowthMode growth, long chunk, bool populate, bool readOnly, long committed)
    {
        Path = path;
        _handle = handle;
        _fd = fd;
        _base = baseAddress;
        ReservedBytes = reserved;
        _registration = registration;
        Growth = growth;
        ChunkBytes = chunk;
        Populate = populate;
        IsReadOnly = readOnly;
        _committedHint = committed;
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>
    /// The open descriptor (the one that holds the lock), for a view of the same file that must not open its path
    /// again (<see cref="IO.PrivateFileView"/>: repair's rehearsal); valid until this file is disposed.
    /// </summary>
    internal int Descriptor => _fd;

    /// <summary>Start of the mapping. Valid until <see cref="Dispose"/>.</summary>
    public byte* Base
    {
        get
        {
            ThrowIfDisposed();
            return (byte*)_base;
        }
    }

    /// <summary>Bytes of address space reserved; offsets at or past this must never be touched.</summary>
    public long ReservedBytes { get; }

    /// <summary>Growth mode chosen at creation.</summary>
    public GrowthMode Growth { get; }

    /// <summary>Largest growth step in bytes (steps start small and double up to it).</summary>
    public long ChunkBytes { get; }

    /// <summary>Whether grown ranges are prefaulted.</summary>
    public bool Populate { get; }

    /// <summary>True if opened with <see cref="Open"/> read-only.</summary>
    public bool IsReadOnly { get; }

    /// <summary>Size the file has been grown to (it never shrinks except by <see cref="SetLength"/>).</summary>
    public long CommittedBytes
    {
        get
        {
            ThrowIfDisposed();
            return _registration.CommittedBytes;
        }
    }

    /// <summary>
    /// Bytes the next growth step takes: steps start at a few pages and double with every growth up to
    /// <see cref="ChunkBytes"/>, and never ask for more than a quarter of the free space. Writers that commit
    /// ranges ahead themselves (<see cref="EnsureRangeCommitted(long, long, long)"/>) size them by it.
    /// </summary>
    public long GrowthStepBytes
    {
        get
        {
            ThrowIfDisposed();
            return Math.Max(_registration.GrowthStepBytes, Environment.SystemPageSize);
        }
    }

    /// <summary>SIGBUS faults handled for this file so far.</summary>
    public long FaultCount
    {
        get
        {
            ThrowIfDisposed();
            return _registration.FaultCount;
        }
    }

    /// <summary>True if a failure was recorded (see <see cref="ThrowIfFailed"/>).</summary>
    public bool IsFailed
    {
        get
        {
            ThrowIfDisposed();
            return _registration.FailureCode != 0;
        }
    }

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
    /// Makes sure the first <paramref name="bytes"/> bytes of the file exist before they are written. In
    /// <see cref="GrowthMode.Eager"/> mode grows the file towards <paramref name="bytes"/> rounded up to the
    /// chunk size, but at most one growth step past its end unless <paramref name="bytes"/> needs more
    /// (fallocate, then prefault if <see cref="Populate"/>). In <see cref="GrowthMode.Fault"/>
    /// mode only checks the reservation: the fault handler grows the file on first touch.
    /// Cheap when nothing needs doing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> exceeds <see cref="ReservedBytes"/>.</exception>
    /// <exception cref="MappedFileFailedException">Growing failed (disk full, size limit, ...).</exception>
    public void EnsureCommitted(long bytes)
    {
        if (bytes <= Volatile.Read(ref _committedHint))
            return;
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes > ReservedBytes)
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, $"The mapping of '{Path}' reserves only {ReservedBytes} bytes; create it with a larger ReserveBytes.");
        if (Growth == GrowthMode.Eager)
        {
            long target = Math.Min(NativeRange.AlignUp(bytes, ChunkBytes), ReservedBytes);
            // Ask for a whole chunk, settle for exactly `bytes` when the disk or a size limit is nearly reached.
            int rc = _registration.Grow(target, bytes, Populate);
            if (rc != 0)
                throw MappedFileFailedException.FromNative(Path, rc);
        }
        else
        {
            // Fault mode: nothing to grow here, but report a recorded failure early.
            ThrowIfFailed();
        }
        long committed = _registration.CommittedBytes;
        // Publish the larger value only (several threads may grow at once).
        long seen = Volatile.Read(ref _committedHint);
        while (committed > seen)
        {
            long prev = Interlocked.CompareExchange(ref _committedHint, committed, seen);
            if (prev == seen)
                break;
            seen = prev;
        }
    }

    /// <summary>
    /// Eager growth of one range: in <see cref="GrowthMode.Eager"/> mode allocates the blocks of
    /// [<paramref name="offset"/>, offset+<paramref name="length"/>) (and prefaults them if
    /// <see cref="Populate"/>), leaving holes before it as holes. A message writing two lanes with a gap
    /// between them grows each lane this way. In <see cref="GrowthMode.Fault"/> mode the handler does
    /// the work on first touch, so this only checks the range.
    /// </summary>
    public void EnsureRangeCommitted(long offset, long length) => EnsureRangeCommitted(offset, length, length);

    /// <summary>
    /// Like <see cref="EnsureRangeCommitted(long, long)"/>, but settles for the first
    /// <paramref name="minimumLength"/> bytes when the whole range cannot be allocated (disk full, quota,
    /// file-size limit): a lane asks for a chunk ahead, yet must not fail while the bytes it writes still fit.
    /// Returns the end of the range now allocated (offset+length, or less when it settled).
    /// </summary>
    public long EnsureRangeCommitted(long offset, long length, long minimumLength)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumLength);
        if (offset + length > ReservedBytes)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"The mapping of '{Path}' reserves only {ReservedBytes} bytes; create it with a larger ReserveBytes.");
        if (Growth != GrowthMode.Eager || length == 0)
            return offset + length;
        int rc = _registration.CommitRange(offset, length, Math.Min(minimumLength, length), Populate, out long end);
        if (rc != 0)
            throw MappedFileFailedException.FromNative(Path, rc);
        return Math.Min(end, offset + length);
    }

    /// <summary>
    /// Allocates the blocks of [<paramref name="offset"/>, offset+<paramref name="length"/>) whatever the growth
    /// mode (no prefault). A move journaled in the header must never meet a full disk halfway, because a write
    /// that lands in the throwaway page of a failed region would leave the journal naming bytes that never
    /// arrived; so the destination is allocated before the move is announced. A failure is recorded like a
    /// growth fault's (the message fails, its last checkpoint survives).
    /// </summary>
    /// <exception cref="MappedFileFailedException">The blocks could not be allocated (disk full, size limit, ...).</exception>
    public void AllocateRange(long offset, long length)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (offset + length > ReservedBytes)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"The mapping of '{Path}' reserves only {ReservedBytes} bytes; create it with a larger ReserveBytes.");
        if (length == 0) return;
        int rc = _registration.CommitRange(offset, length, length, populate: false, out _);
        if (rc != 0)
            throw MappedFileFailedException.FromNative(Path, rc);
    }

    /// <summary>
    /// Like <see cref="AllocateRange"/> for a range inside the file, but a full disk (or quota, or a file system
    /// without fallocate) is an answer, not a failure: returns false and records nothing, so the caller can choose
    /// a way that needs no blocks. An allocation that fails gives back the blocks it took (ext4 and XFS keep them).
    /// </summary>
    public bool TryAllocateRange(long offset, long length)
    {
        ThrowIfDisposed();
        ThrowIfFailed();
        if (length <= 0) return true;
        int rc = _registration.TryReserve(offset, length);
        if (rc == 0) return true;
        if (rc is Native.Errno.ENOSPC or Native.Errno.EDQUOT or Native.Errno.EFBIG or Native.Errno.EOPNOTSUPP or Native.Errno.ENOSYS or Native.Errno.EINVAL) return false;
        // A recorded failure or a truncation is the file's state; anything else is this call's error.
        throw rc < 0 ? MappedFileFailedException.FromNative(Path, rc) : SyscallFailed("fallocate", rc);
    }

    /// <summary>Throws <see cref="MappedFileFailedException"/> if a fault or growth failure was recorded.</summary>
    public void ThrowIfFailed()
    {
        ThrowIfDisposed();
        int code = _registration.FailureCode;
        if (code != 0)
            throw MappedFileFailedException.FromNative(Path, code);
    }

    /// <summary>msync (MS_SYNC) of [offset, offset+length) from its page start, clamped to the committed size; the range written back.</summary>
    private (long Start, long End) WriteBack(long offset, long length)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ThrowIfFailed();
        long page = Environment.SystemPageSize;
        long end = Math.Min(offset + length, Math.Min(CommittedBytes, ReservedBytes));
        long start = offset - offset % page;
        if (end > start && Syscall.msync(_base + (nint)start, (ulong)(end - start), MsyncFlags.MS_SYNC) != 0)
            throw SyscallFailed("msync", LastErrno());
        return (start, end);
    }

    /// <summary>
    /// Writes the dirty pages of [<paramref name="offset"/>, offset+<paramref name="length"/>) back
    /// (msync MS_SYNC) and, with <paramref name="fsync"/>, makes file data and size durable (fsync).
    /// The range is clamped to the committed size.
    /// </summary>
    public void Flush(long offset, long length, bool fsync)
    {
        var (start, end) = WriteBack(offset, length);
        if (fsync && Syscall.fsync(_fd) != 0)
            throw SyscallFailed("fsync", LastErrno());
        ThrowIfFailed();
        FlushPoints.Reached(Path, start, Math.Max(0, end - start), wholeFile: fsync);
    }

    /// <summary>
    /// Makes [<paramref name="offset"/>, offset+<paramref name="length"/>) durable before anything that depends
    /// on it is written: msync (MS_SYNC) of the range, then fdatasync, which also makes a changed size durable
    /// and flushes the device's write cache. A journaled move orders its steps with it (see docs/reliability.md).
    /// </summary>
    public void FlushData(long offset, long length)
    {
        var (start, end) = WriteBack(offset, length);
        if (Syscall.fdatasync(_fd) != 0)
            throw SyscallFailed("fdatasync", LastErrno());
        ThrowIfFailed();
        FlushPoints.Reached(Path, start, Math.Max(0, end - start), wholeFile: true);
    }

    /// <summary>
    /// Sets the file size (the final cut to the used size). Must not be called while another thread may
    /// write the mapping. A later write past the new size grows the file again, but if
    /// <paramref name="bytes"/> is not a page multiple, bytes written after the cut into the rest of the
    /// last page are zeroed by the kernel when the file grows again (POSIX: the area past EOF reads as
    /// zeros after an extension). Keep writing only after a page-multiple cut.
    /// </summary>
    public void SetLength(long bytes)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes > ReservedBytes)
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "Cannot set the length beyond the reserved mapping.");
        ThrowIfFailed();
        int rc = _registration.SetLength(bytes);
        if (rc != 0)
            throw new MappedFileException($"Could not set the length of '{Path}' to {bytes}: {MappedFileException.Describe(rc)}", Path, rc);
        Volatile.Write(ref _committedHint, bytes);
    }

    /// <summary>
    /// Removes [<paramref name="offset"/>, offset+<paramref name="length"/>) from the file without copying
    /// (fallocate FALLOC_FL_COLLAPSE_RANGE); the content after it moves down by <paramref name="length"/>,
    /// in the file and so in the mapping. Both values must be multiples of the file system block size and
    /// the range must end before EOF. Returns false if the file system cannot (tmpfs, ...) or the range is
    /// not acceptable; the file is then unchanged. Must not run while other threads write the mapping.
    /// </summary>
    public bool TryCollapseRange(long offset, long length)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ThrowIfFailed();
        int rc = _registration.Collapse(offset, length);
        if (rc == 0)
        {
            Volatile.Write(ref _committedHint, _registration.CommittedBytes);
            return true;
        }
        if (rc is Native.Errno.EOPNOTSUPP or Native.Errno.EINVAL or Native.Errno.ENOSYS)
            return false;
        throw new MappedFileException($"Collapsing a range of '{Path}' failed: {MappedFileException.Describe(rc)}", Path, rc);
    }

    /// <summary>
    /// Unregisters, unmaps, closes (releasing the lock). Idempotent. No thread may touch <see cref="Base"/>
    /// afterwards. A file never disposed is released the same way when it is collected (see <see cref="MappingHandle"/>).
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _handle.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

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

    private MappedFileException SyscallFailed(string call, int err) =>
        new($"{call} of '{Path}' failed: {MappedFileException.Describe(err)}", Path, err);

    private static MappedFileException OpenFailed(string path, int err) =>
        new($"Could not open '{path}': {MappedFileException.Describe(err)}", path, err);

    private static int LastErrno() => Mono.Unix.Native.NativeConvert.FromErrno(Stdlib.GetLastError());

    private static long Positive(long value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, name);
        return value;
    }
}
