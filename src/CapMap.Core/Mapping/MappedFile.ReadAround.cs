using CapMap.Native;
using Mono.Unix.Native;

namespace CapMap.Mapping;

// Read-around: whether a page fault on the mapping reads the pages around the faulting one into the page cache too.

public sealed unsafe partial class MappedFile
{
    /// <summary>
    /// Turns the kernel's read-around off for a writable mapping as it opens. A fault on a page of a shared file
    /// mapping normally reads a window of about 32 pages centred on it, and in a new message those pages are holes
    /// and unwritten blocks: each is allocated and zeroed, mostly behind the lanes' start or past what a small
    /// message writes, and then freed again when Complete cuts the file. For a one-record export on ext4 that was
    /// about half its CPU (9.6 ms against 5.3 ms without, of which tmpfs needs 1.3 ms). Only past what the file
    /// holds already (<paramref name="committed"/>): an appender or a repair reading earlier messages keeps reading
    /// them a window at a time. Advice only: a kernel that refuses it reads around as before.
    /// </summary>
    private static void AdviseNoReadAround(IntPtr address, long length, long committed)
    {
        long from = NativeRange.AlignUp(committed, Environment.SystemPageSize);
        if (from < length) Syscall.posix_madvise(address + (nint)from, (ulong)(length - from), PosixMadviseAdvice.POSIX_MADV_RANDOM);
    }

    /// <summary>
    /// Gives the mapping the kernel's read-around back, once a message has grown large enough for it to pay: a lane
    /// written in order then takes one fault per window instead of one per page, which made a 1,000,000-record
    /// build 10 % slower without it. Idempotent; advice only.
    /// </summary>
    public void RestoreReadAround()
    {
        if (_readAroundRestored || IsReadOnly) return;
        ThrowIfDisposed();
        Syscall.posix_madvise(_base, (ulong)ReservedBytes, PosixMadviseAdvice.POSIX_MADV_NORMAL);
        _readAroundRestored = true;
    }

    private bool _readAroundRestored;
}
