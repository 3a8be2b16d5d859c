using Mono.Unix.Native;

namespace CapMap.Mapping;

// Flushing: writing dirty pages back and making them durable.

public sealed unsafe partial class MappedFile
{
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
}
