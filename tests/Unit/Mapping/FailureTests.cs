using CapMap.Mapping;
using Mono.Unix.Native;
using Xunit;

namespace CapMap.Tests.Mapping;

public sealed unsafe class FailureTests
{
    private const int ENOSPC = 28;
    private const int EFBIG = 27;

    /// <summary>Writes sequentially in 1 MiB steps until a failure is recorded; returns the bytes written.</summary>
    private static long WriteUntilFailed(MappedFile file, long limit)
    {
        for (long off = 0; off < limit; off += 1 << 20)
        {
            if (file.Growth == GrowthMode.Eager)
            {
                try
                {
                    file.EnsureCommitted(off + (1 << 20));
                }
                catch (MappedFileFailedException)
                {
                    return off;
                }
            }
            Tools.Fill(file.Base, off, off + (1 << 20), 3);
            if (file.IsFailed)
                return off;
        }
        return limit;
    }

    [Theory]
    [InlineData(GrowthMode.Fault, MappedFileOptions.DefaultChunkBytes)]
    [InlineData(GrowthMode.Fault, 1L << 20)]
    [InlineData(GrowthMode.Eager, 1L << 20)]
    public void DiskFull_OnSmallTmpfs_ReportsEnospc_ProcessSurvives(GrowthMode mode, long chunk)
    {
        // 16 MiB of tmpfs is 4,096 pages and nothing else is on it. Once a whole chunk no longer fits, growth
        // goes page by page (Fault) or settles for the bytes asked for (Eager), so the file gets every page:
        // the failure comes exactly at 16 MiB and all of the file is data written before it.
        const long Capacity = 16L << 20;
        using var tmpfs = new TmpfsMount("16m");
        string path = tmpfs.File("full.bin");
        long committed;
        using (var file = MappedFile.Create(path, new MappedFileOptions { Growth = mode, ChunkBytes = chunk, ReserveBytes = 1L << 30 }))
        {
            long written = WriteUntilFailed(file, 64L << 20);
            Assert.Equal(Capacity, written);
            var ex = Assert.Throws<MappedFileFailedException>(file.ThrowIfFailed);
            Assert.Equal(ENOSPC, ex.Errno);
            Assert.Equal(MappedFileFailure.DiskFull, ex.Reason);
            Assert.Contains("disk is full", ex.Message);
            // Writes after the failure land in a throwaway page: no crash, no loop, and (checked below) not in the file.
            Tools.Fill(file.Base, 20L << 20, 21L << 20, 4);
            Assert.Throws<MappedFileFailedException>(() => file.EnsureCommitted(30L << 20));
            committed = file.CommittedBytes;
            Assert.Equal(Capacity, committed);
            // Every byte written before the failure is intact in the mapping.
            Assert.Equal(-1, Tools.FirstMismatch(file.Base, 0, written, 3));
        }
        // And in the file itself, read back with read(2) after the mapping is gone: its size is what was
        // committed, and every byte of it is the data written before the failure.
        Assert.Equal(committed, new FileInfo(path).Length);
        Tools.AssertFileContent(path, committed, 3);
    }

    [Fact]
    public void DiskFull_InsideAnExistingSparseFile_ReportsEnospc()
    {
        // A page inside the file (a hole) that the file system cannot back: the SIGBUS arrives for an
        // offset below EOF, the handler's MADV_POPULATE_WRITE check fails and the failure is recorded.
        using var tmpfs = new TmpfsMount("16m");
        using var file = MappedFile.Create(tmpfs.File("sparse.bin"), new MappedFileOptions { ChunkBytes = 1 << 20, Populate = false, ReserveBytes = 1L << 30 });
        *(long*)(file.Base + (15L << 20)) = 1; // grows [15 MiB, 16 MiB); [0, 15 MiB) is a hole
        file.ThrowIfFailed();
        using (var filler = MappedFile.Create(tmpfs.File("filler.bin"), new MappedFileOptions { ChunkBytes = 1 << 20, ReserveBytes = 1L << 30 }))
        {
            WriteUntilFailed(filler, 32L << 20); // take every remaining block
            Assert.True(filler.IsFailed);
        }
        // The filler is closed but its file stays; the disk is full. Touch the hole.
        Tools.Fill(file.Base, 0, 1 << 20, 5);
        var ex = Assert.Throws<MappedFileFailedException>(file.ThrowIfFailed);
        Assert.Equal(ENOSPC, ex.Errno);
    }

    [Fact]
    public void FileTruncatedByAnotherParty_IsDetected()
    {
        using var dir = new TempDir();
        string path = dir.File("t.bin");
        using var file = MappedFile.Create(path, new MappedFileOptions { ChunkBytes = 1 << 20, ReserveBytes = 1L << 30 });
        Tools.Fill(file.Base, 0, 8L << 20, 6);
        file.ThrowIfFailed();
        // truncate(2) ignores advisory locks: another process could do exactly this.
        Assert.Equal(0, Syscall.truncate(path, 1 << 20));
        // Inside what we had committed, now past EOF: SIGBUS, detected as truncation.
        Tools.Fill(file.Base, 4L << 20, 5L << 20, 6);
        var ex = Assert.Throws<MappedFileFailedException>(file.ThrowIfFailed);
        Assert.Equal(MappedFileFailure.Truncated, ex.Reason);
        Assert.Contains("truncated by another process", ex.Message);
        // Further writes, also past the old end, stay harmless.
        Tools.Fill(file.Base, 10L << 20, 11L << 20, 6);
        Assert.True(file.IsFailed);
    }

    [Fact]
    public void FileTruncated_DetectedByEagerGrowth()
    {
        using var dir = new TempDir();
        string path = dir.File("t2.bin");
        using var file = MappedFile.Create(path, new MappedFileOptions { Growth = GrowthMode.Eager, ChunkBytes = 1 << 20, ReserveBytes = 1L << 30 });
        file.EnsureCommitted(2 << 20);
        Assert.Equal(0, Syscall.truncate(path, 0));
        var ex = Assert.Throws<MappedFileFailedException>(() => file.EnsureCommitted(3 << 20));
        Assert.Equal(MappedFileFailure.Truncated, ex.Reason);
    }
}

[Collection(ProcessWideCollection.Name)]
public sealed unsafe class FileSizeLimitTests
{
    [Theory]
    [InlineData(GrowthMode.Fault)]
    [InlineData(GrowthMode.Eager)]
    public void RlimitFsize_ReportsEfbig_NoSigxfszDeath(GrowthMode mode)
    {
        using var dir = new TempDir();
        FaultRegistry.EnsureInstalled(); // SIGXFSZ -> caught by a no-op handler
        Assert.Equal(0, Tools.getrlimit(Tools.RLIMIT_FSIZE, out var saved));
        var limited = new Tools.RLimit { Cur = 6UL << 20, Max = saved.Max };
        Assert.Equal(0, Tools.setrlimit(Tools.RLIMIT_FSIZE, ref limited));
        try
        {
            using var file = MappedFile.Create(dir.File("limited.bin"), new MappedFileOptions { Growth = mode, ChunkBytes = 4 << 20, ReserveBytes = 1L << 30 });
            long written = 0;
            for (long off = 0; off < 16L << 20 && !file.IsFailed; off += 1 << 20)
            {
                try
                {
                    file.EnsureCommitted(off + (1 << 20));
                }
                catch (MappedFileFailedException)
                {
                    break;
                }
                Tools.Fill(file.Base, off, off + (1 << 20), 8);
                if (file.IsFailed)
                    break;
                written = off + (1 << 20);
            }
            var ex = Assert.Throws<MappedFileFailedException>(file.ThrowIfFailed);
            Assert.Equal(27, ex.Errno); // EFBIG
            Assert.Equal(MappedFileFailure.FileTooLarge, ex.Reason);
            Assert.Equal(6L << 20, written); // every byte the limit allows is used, in both modes
        }
        finally
        {
            Assert.Equal(0, Tools.setrlimit(Tools.RLIMIT_FSIZE, ref saved));
        }
    }

    private const int SIGXFSZ = 25;

    [Fact]
    public void A_program_started_after_a_file_grew_is_still_stopped_by_its_file_size_limit()
    {
        // Once a file has grown, this process no longer has SIGXFSZ at its default. Caught, exec resets it to the
        // default; ignored, every program started from here would inherit "ignored" and get EFBIG instead of being
        // stopped at its `ulimit -f`.
        using var dir = new TempDir();
        using (var file = MappedFile.Create(dir.File("grown.bin"), new MappedFileOptions { ReserveBytes = 1L << 30 }))
        {
            Tools.Fill(file.Base, 0, 1 << 20, 9);
            file.ThrowIfFailed();
        }
        var (code, status) = Tools.Run("/bin/grep", "^SigIgn:", "/proc/self/status");
        Assert.True(code == 0, status);
        ulong ignored = Convert.ToUInt64(status.Split(':')[1].Trim(), 16);
        Assert.True((ignored & (1UL << (SIGXFSZ - 1))) == 0, $"a child starts with SIGXFSZ ignored: {status.Trim()}");
        // And it behaves so: `head` past a 1 KiB limit dies of SIGXFSZ (bash reports 128 + 25).
        var (_, output) = Tools.Run("/bin/bash", "-c", "ulimit -f 1; head -c 10000 /dev/zero > \"$0\"; echo \"status $?\"", dir.File("limited.bin"));
        Assert.Contains($"status {128 + SIGXFSZ}", output);
    }
}
