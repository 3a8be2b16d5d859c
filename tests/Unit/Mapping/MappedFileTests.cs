using CapMap.Mapping;
using Mono.Unix.Native;
using Xunit;

namespace CapMap.Tests.Mapping;

public sealed unsafe class MappedFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(GrowthMode.Fault, false)]
    [InlineData(GrowthMode.Fault, true)]
    [InlineData(GrowthMode.Eager, false)]
    [InlineData(GrowthMode.Eager, true)]
    public void WritesAcrossChunkBoundaries_FileHasContentAndSizeAfterSetLength(GrowthMode mode, bool populate)
    {
        const long Chunk = 1 << 20;
        const long Total = 96L << 20;
        const long FinalLength = Total - 12_344; // not a page multiple on purpose
        long seed = (long)mode * 31 + (populate ? 7 : 3);
        string path = _dir.File("big.bin");
        var options = new MappedFileOptions { Growth = mode, ChunkBytes = Chunk, Populate = populate, ReserveBytes = 1L << 30 };
        using (var file = MappedFile.Create(path, options))
        {
            Assert.Equal(0, file.CommittedBytes);
            // Writes of 48 KiB that straddle chunk boundaries at odd places.
            const long Step = 48 << 10;
            for (long off = 0; off < Total; off += Step)
            {
                long end = Math.Min(off + Step, Total);
                file.EnsureCommitted(end);
                Tools.Fill(file.Base, off, end, seed);
            }
            file.ThrowIfFailed();
            Assert.Equal(Total, file.CommittedBytes);
            if (mode == GrowthMode.Fault)
                Assert.True(file.FaultCount >= Total / Chunk, $"faults {file.FaultCount}");
            else
                Assert.Equal(0, file.FaultCount);
            Assert.Equal(-1, Tools.FirstMismatch(file.Base, 0, Total, seed));
            file.Flush(0, Total, fsync: true);
            file.SetLength(FinalLength);
            Assert.Equal(FinalLength, file.CommittedBytes);
        }
        Assert.Equal(FinalLength, new FileInfo(path).Length);
        Tools.AssertFileContent(path, FinalLength, seed);
    }

    [Fact]
    public void FaultFarAhead_LeavesHoleBeforeTheStep()
    {
        string path = _dir.File("sparse.bin");
        const long Chunk = 1 << 20;
        using var file = MappedFile.Create(path, new MappedFileOptions { ChunkBytes = Chunk, ReserveBytes = 4L << 30, Populate = false });
        long far = (2L << 30) + 12_345 * 8;
        *(long*)(file.Base + far) = 42;
        file.ThrowIfFailed();
        Assert.Equal(1, file.FaultCount);
        long step = GrowthSteps.First(Chunk); // the first growth of a region is its first (smallest) step
        long expectedSize = (far / step + 1) * step;
        Assert.Equal(expectedSize, file.CommittedBytes);
        Assert.Equal(0, Syscall.stat(path, out Stat st));
        Assert.Equal(expectedSize, st.st_size);
        Assert.True(st.st_blocks * 512 <= 2 * Chunk, $"only the faulting chunk is allocated, got {st.st_blocks * 512} bytes");
        // Writing into the hole works too (a fault-free first touch of an existing sparse page).
        *(long*)(file.Base + 4096) = 7;
        file.ThrowIfFailed();
        Assert.Equal(42, *(long*)(file.Base + far));
    }

    [Fact]
    public void OpenExisting_ReadOnlyAndWritable()
    {
        string path = _dir.File("existing.bin");
        const long Length = (3 << 20) + 40;
        using (var file = MappedFile.Create(path, new MappedFileOptions { ChunkBytes = 1 << 20 }))
        {
            Tools.Fill(file.Base, 0, Length, 99);
            file.SetLength(Length);
        }
        using (var reader = MappedFile.Open(path, readOnly: true))
        {
            Assert.True(reader.IsReadOnly);
            Assert.Equal(Length, reader.CommittedBytes);
            Assert.Equal(-1, Tools.FirstMismatch(reader.Base, 0, Length, 99));
            // A second reader may share; a writer may not.
            using (MappedFile.Open(path, readOnly: true)) { }
            Assert.Throws<FileLockedException>(() => MappedFile.Open(path));
        }
        using (var writer = MappedFile.Open(path, new MappedFileOptions { ChunkBytes = 1 << 20 }))
        {
            Assert.Equal(-1, Tools.FirstMismatch(writer.Base, 0, Length, 99));
            Tools.Fill(writer.Base, Length, 8L << 20, 99); // continue past the old end: faults grow it
            writer.ThrowIfFailed();
            writer.SetLength(8L << 20);
        }
        Tools.AssertFileContent(path, 8L << 20, 99);
    }

    [Fact]
    public void ReadOnlyReadPastEnd_FailsTheFileInsteadOfKillingTheProcess()
    {
        string path = _dir.File("short.bin");
        File.WriteAllBytes(path, new byte[100]);
        using var reader = MappedFile.Open(path, readOnly: true);
        long v = *(long*)(reader.Base + 3 * 4096); // past EOF of a read-only file
        Assert.Equal(0, v);
        var ex = Assert.Throws<MappedFileFailedException>(reader.ThrowIfFailed);
        Assert.Equal(MappedFileFailure.ReadPastEnd, ex.Reason);
        Assert.Equal(100, new FileInfo(path).Length);
    }

    [Fact]
    public void EnsureCommitted_BeyondReservation_Throws()
    {
        using var file = MappedFile.Create(_dir.File("small.bin"), new MappedFileOptions { ReserveBytes = 1 << 20, Growth = GrowthMode.Eager });
        file.EnsureCommitted(1 << 20);
        Assert.Equal(1 << 20, file.CommittedBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.EnsureCommitted((1 << 20) + 1));
    }

    [Fact]
    public void Dispose_IsIdempotent_AndReleasesEverything()
    {
        string path = _dir.File("d.bin");
        var file = MappedFile.Create(path);
        *file.Base = 1;
        file.Dispose();
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => { _ = file.CommittedBytes; });
        Assert.Throws<ObjectDisposedException>(() => { byte* b = file.Base; });
        Assert.Equal(0, Tools.FlockProbe(path));
    }

    /// <summary>
    /// Collapse on a file system that has it (a fresh ext4 image, wherever the temp directory lives), checked
    /// by oracles outside the code under test: stat(2) for the size and the allocated blocks, and read(2) on a
    /// descriptor of our own for the content, both before and after the mapping is gone.
    /// </summary>
    [Fact]
    public void TryCollapseRange_RemovesABlockRange_AsStatAndReadSee()
    {
        using var ext4 = new Ext4Mount();
        Assert.Equal("ext2/ext3", Tools.Run("/usr/bin/stat", "-f", "-c", "%T", ext4.Path).Output.Trim());
        string path = ext4.File("collapse.bin");
        const long Block = 1 << 20;
        using (var file = CreateFilled(path, 4 * Block, Block, 5))
        {
            var before = Tools.Stat(path);
            Assert.Equal(4 * Block, before.Size);
            Assert.Equal(4 * Block, before.AllocatedBytes); // every block written, none shared or preallocated past EOF

            Assert.True(file.TryCollapseRange(Block, Block), "ext4 supports FALLOC_FL_COLLAPSE_RANGE");

            var after = Tools.Stat(path);
            Assert.Equal(3 * Block, after.Size);
            // The block range is freed, not copied. Splitting the extent tree may cost ext4 one index block (the
            // file grew in doubling steps, each allocated on its own).
            Assert.InRange(after.AllocatedBytes, before.AllocatedBytes - Block, before.AllocatedBytes - Block + 4096);
            Assert.Equal(3 * Block, file.CommittedBytes);
            // What was at [2B, 4B) is now at [B, 3B): in the file as read(2) sees it, and in the mapping.
            Tools.AssertFileContent(path, 3 * Block, offset => offset < Block ? Tools.Word(offset, 5) : Tools.Word(offset + Block, 5));
            Assert.Equal(-1, Tools.FirstMismatch(file.Base, 0, Block, 5));
            for (long o = Block; o < 3 * Block; o += 8)
                Assert.True(*(long*)(file.Base + o) == Tools.Word(o + Block, 5), $"mapping at {o}");

            Assert.False(file.TryCollapseRange(3, Block)); // unaligned: refused, file unchanged
            Assert.Equal(3 * Block, file.CommittedBytes);
            Assert.Equal(after, Tools.Stat(path));
        }
        Tools.AssertFileContent(path, 3 * Block, offset => offset < Block ? Tools.Word(offset, 5) : Tools.Word(offset + Block, 5));
        // The probe agrees on this file system.
        Assert.True(CapMap.Platform.PlatformProbe.Run(ext4.Path).CollapseRangeSupported);
    }
    [Fact]
    public unsafe void TryInsertRange_PutsAHoleBeforeTheContent_AsStatReadAndTheMappingSee()
    {
        using var ext4 = new Ext4Mount();
        string path = ext4.File("insert.bin");
        const long Block = 1 << 20;
        using (var file = CreateFilled(path, 3 * Block, Block, 7))
        {
            var before = Tools.Stat(path);

            Assert.True(file.TryInsertRange(Block, 2 * Block), "ext4 supports FALLOC_FL_INSERT_RANGE");

            var after = Tools.Stat(path);
            Assert.Equal(5 * Block, after.Size);
            Assert.Equal(5 * Block, file.CommittedBytes);
            // The hole takes no blocks (an extent split may cost one index block): nothing was copied.
            Assert.InRange(after.AllocatedBytes, before.AllocatedBytes, before.AllocatedBytes + 4096);
            // What was at [B, 3B) is now at [3B, 5B), and [B, 3B) reads as zeros: in the file and in the mapping.
            Func<long, long> expected = offset => offset < Block ? Tools.Word(offset, 7) : offset < 3 * Block ? 0 : Tools.Word(offset - 2 * Block, 7);
            Tools.AssertFileContent(path, 5 * Block, expected);
            for (long o = 0; o < 5 * Block; o += 8)
                Assert.True(*(long*)(file.Base + o) == expected(o), $"mapping at {o}");

            Assert.False(file.TryInsertRange(3, Block)); // unaligned: refused, file unchanged
            Assert.False(file.TryInsertRange(5 * Block, Block)); // at the end of the file: refused
            Assert.Equal(after, Tools.Stat(path));
        }
    }

    /// <summary>A new mapped file of <paramref name="bytes"/> bytes of <see cref="Tools.Word"/> content, written back and fsynced.</summary>
    private static unsafe MappedFile CreateFilled(string path, long bytes, long chunk, long seed)
    {
        var file = MappedFile.Create(path, new MappedFileOptions { ChunkBytes = chunk });
        Tools.Fill(file.Base, 0, bytes, seed);
        file.Flush(0, bytes, fsync: true);
        return file;
    }
}
