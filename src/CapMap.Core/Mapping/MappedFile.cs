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
/// All public members are thread-safe except <see cref="SetLength"/>, <see cref="TryCollapseRange"/> and <see cref="TryInsertRange"/>,
/// which must not run while other threads write the mapping, and <see cref="Dispose"/>, after which no
/// thread may touch <see cref="Base"/>.
/// </para>
/// </remarks>
public sealed unsafe partial class MappedFile : IDisposable
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

    /// <summary>Throws <see cref="MappedFileFailedException"/> if a fault or growth failure was recorded.</summary>
    public void ThrowIfFailed()
    {
        ThrowIfDisposed();
        int code = _registration.FailureCode;
        if (code != 0)
            throw MappedFileFailedException.FromNative(Path, code);
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

    private MappedFileException SyscallFailed(string call, int err) =>
        new($"{call} of '{Path}' failed: {MappedFileException.Describe(err)}", Path, err);

    private static int LastErrno() => Mono.Unix.Native.NativeConvert.FromErrno(Stdlib.GetLastError());

    private static long Positive(long value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, name);
        return value;
    }
}
