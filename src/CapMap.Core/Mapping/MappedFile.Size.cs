using CapMap.Native;

namespace CapMap.Mapping;

// Size: growing the file ahead of writes, allocating ranges, cutting it and collapsing ranges out of it.

public sealed unsafe partial class MappedFile
{
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
    public bool TryCollapseRange(long offset, long length) => TryShiftRange(offset, length, insert: false);

    /// <summary>
    /// Puts a hole of <paramref name="length"/> bytes at <paramref name="offset"/> without copying (fallocate
    /// FALLOC_FL_INSERT_RANGE); the content from there on moves up by <paramref name="length"/>, in the file and
    /// so in the mapping (the kernel writes back and drops the pages it shifts; the next touch maps them at their
    /// new offsets). Both values must be multiples of the file system block size and <paramref name="offset"/> must
    /// lie inside the file. Returns false if the file system cannot (tmpfs, ...) or the range is not acceptable
    /// (also a file that would outgrow the file system's size limit); the file is then unchanged. Must not run
    /// while other threads write the mapping, and the file grown by <paramref name="length"/> must stay inside the
    /// reservation.
    /// </summary>
    public bool TryInsertRange(long offset, long length)
    {
        if (CommittedBytes + length > ReservedBytes) return false;
        return TryShiftRange(offset, length, insert: true);
    }

    private bool TryShiftRange(long offset, long length, bool insert)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ThrowIfFailed();
        int rc = insert ? _registration.Insert(offset, length) : _registration.Collapse(offset, length);
        if (rc == 0)
        {
            Volatile.Write(ref _committedHint, _registration.CommittedBytes);
            return true;
        }
        if (rc is Native.Errno.EOPNOTSUPP or Native.Errno.EINVAL or Native.Errno.ENOSYS)
            return false;
        // An insert may need blocks for the extent tree or outgrow the file system's size limit: the caller
        // then widens the old way (a copy), which meets the same limit where the data really is and says so.
        if (insert && rc is Native.Errno.ENOSPC or Native.Errno.EDQUOT or Native.Errno.EFBIG)
            return false;
        throw new MappedFileException($"{(insert ? "Inserting a hole into" : "Collapsing a range of")} '{Path}' failed: {MappedFileException.Describe(rc)}", Path, rc);
    }
}
