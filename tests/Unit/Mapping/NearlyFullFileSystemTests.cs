using CapMap.Mapping;
using Mono.Unix.Native;
using Xunit;

namespace CapMap.Tests.Mapping;

/// <summary>
/// An allocation that does not fit must cost nothing. ext4 keeps the blocks a fallocate took before it ran out of
/// space (tmpfs rolls them back), so on a nearly full ext4 a failed attempt used to leave the disk full. The
/// cmdlet-level cases (ext4, ext2, XFS, Fault and Eager growth) are in tests/Pester/NearlyFullDisk.Tests.ps1.
/// </summary>
public sealed unsafe class NearlyFullFileSystemTests
{
    private static long FreeBytes(string path)
    {
        Assert.Equal(0, Syscall.statvfs(path, out Statvfs stat));
        return (long)(stat.f_bavail * stat.f_frsize);
    }

    [Fact]
    public void TryAllocateRange_that_does_not_fit_gives_back_every_block_it_took()
    {
        using var ext4 = new Ext4Mount("24M");
        string path = ext4.File("gap.bin");
        // Small growth steps: the 1 MiB written must not depend on how large steps are.
        using var file = MappedFile.Create(path, new MappedFileOptions { ReserveBytes = 1L << 30, ChunkBytes = 1 << 20 });
        Tools.Fill(file.Base, 0, 1 << 20, 3);
        file.Flush(0, 1 << 20, fsync: true); // written back: the blocks counted below no longer change by themselves
        long allocated = Tools.Stat(path).AllocatedBytes, free = FreeBytes(ext4.Path);
        Assert.True(free > 16L << 20, $"the 24 MiB ext4 should have most of its space free, has {free}");

        Assert.False(file.TryAllocateRange(1 << 20, 64L << 20)); // more than the whole file system

        Assert.False(file.IsFailed); // an answer, not a failure of the file
        // Every data block is back. ext4 may keep the extent tree's index block that the attempt needed (1 KiB
        // blocks on so small a file system); the attempt itself took about 20 MiB.
        const long Metadata = 16 << 10;
        Assert.InRange(Tools.Stat(path).AllocatedBytes, allocated, allocated + Metadata);
        Assert.InRange(FreeBytes(ext4.Path), free - Metadata, free);
        Assert.True(file.TryAllocateRange(1 << 20, 4L << 20)); // what fits is still allocated
        Assert.True(Tools.Stat(path).AllocatedBytes >= allocated + (4L << 20));
    }
}
