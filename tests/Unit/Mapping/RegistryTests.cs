using CapMap.Mapping;
using Mono.Unix.Native;
using Xunit;

namespace CapMap.Tests.Mapping;

[Collection(ProcessWideCollection.Name)]
public sealed unsafe class RegistryTests
{
    [Fact]
    public void RegistryFull_RegisterThrowsTypedException_AndRecoversWhenSlotsFree()
    {
        using var dir = new TempDir();
        int capacity = FaultRegistry.Capacity;
        Assert.Equal(1024, capacity);
        int already = FaultRegistry.ActiveCount; // this collection runs alone, so this is stable
        long page = Environment.SystemPageSize;

        // Fake regions: one PROT_NONE page each of a reservation nobody touches.
        ulong span = (ulong)((capacity + 1) * page);
        IntPtr area = Syscall.mmap(IntPtr.Zero, span, MmapProts.PROT_NONE, MmapFlags.MAP_PRIVATE | MmapFlags.MAP_ANONYMOUS | MmapFlags.MAP_NORESERVE, -1, 0);
        Assert.NotEqual(new IntPtr(-1), area);
        int fd = Syscall.open(dir.File("fd.bin"), OpenFlags.O_RDWR | OpenFlags.O_CREAT, FilePermissions.DEFFILEMODE);
        Assert.True(fd >= 0);
        var registrations = new List<RegionRegistration>();
        try
        {
            RegistryFullException? full = null;
            for (int i = 0; i <= capacity; i++)
            {
                try
                {
                    registrations.Add(FaultRegistry.Register(area + (nint)(i * page), page, fd, page));
                }
                catch (RegistryFullException ex)
                {
                    full = ex;
                    break;
                }
            }
            Assert.NotNull(full);
            Assert.Equal(capacity, full!.Capacity);
            Assert.Equal(capacity - already, registrations.Count);
            Assert.Equal(capacity, FaultRegistry.ActiveCount);

            // A MappedFile cannot be created either, and leaves nothing behind.
            string path = dir.File("refused.bin");
            Assert.Throws<RegistryFullException>(() => MappedFile.Create(path));
            Assert.False(File.Exists(path));

            // Overlapping registration is refused as such (not as "full") once a slot is free.
            registrations[^1].Dispose();
            Assert.Throws<ArgumentException>(() => FaultRegistry.Register(area, page, fd, page));

            // Free everything: creating works again.
            foreach (var r in registrations)
                r.Dispose();
            Assert.Equal(already, FaultRegistry.ActiveCount);
            using var file = MappedFile.Create(path);
            *(long*)(file.Base + 100) = 1;
            file.ThrowIfFailed();
        }
        finally
        {
            foreach (var r in registrations)
                FaultRegistry.Unregister(r);
            Syscall.close(fd);
            Syscall.munmap(area, span);
        }
    }

    [Fact]
    public void Register_RejectsBadArguments()
    {
        long page = Environment.SystemPageSize;
        Assert.Throws<ArgumentException>(() => FaultRegistry.Register(new IntPtr(page + 1), page, 0, page));
        Assert.Throws<ArgumentException>(() => FaultRegistry.Register(new IntPtr(page), page, 0, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRegistry.Register(new IntPtr(page), 0, 0, page));
    }
}
