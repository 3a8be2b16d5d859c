using CapMap.Mapping;
using CapMap.Platform;
using Xunit;

namespace CapMap.Tests.Mapping;

public sealed class PlatformProbeTests
{
    [Fact]
    public void Probe_OnTempDirectory_ReportsSupported_AndCleansUp()
    {
        using var dir = new TempDir();
        PlatformReport report = PlatformProbe.Run(dir.Path);
        Assert.True(report.IsSupported, string.Join("; ", report.Problems));
        Assert.Empty(report.Problems);
        Assert.True(report.GrowOnFaultWorks);
        Assert.True(report.FallocateSupported);
        Assert.True(report.PopulateWriteSupported); // Linux >= 5.14 on every machine we run on
        Assert.True(report.ChainsToRuntimeHandler);
        Assert.True(report.MaxReservableBytes >= MappedFileOptions.DefaultReserveBytes);
        Assert.Equal(Environment.SystemPageSize, report.PageSize);
        Assert.False(report.FileSystemType.StartsWith("unknown", StringComparison.Ordinal), report.FileSystemType);
        Assert.True(report.FreeBytes > 0);
        Assert.False(string.IsNullOrEmpty(report.KernelRelease));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Probe_OnTmpfs_ReportsNoCollapseRange()
    {
        using var tmpfs = new TmpfsMount("16m");
        PlatformReport report = PlatformProbe.Run(tmpfs.Path);
        Assert.True(report.IsSupported, string.Join("; ", report.Problems));
        Assert.Equal("tmpfs", report.FileSystemType);
        Assert.False(report.CollapseRangeSupported);
        Assert.Contains(report.Notes, n => n.Contains("COLLAPSE_RANGE", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(tmpfs.Path));
    }

    [Theory]
    [InlineData(0xEF53, "ext2/ext3/ext4")]
    [InlineData(0x58465342, "xfs")]
    [InlineData(0x01021994, "tmpfs")]
    [InlineData(0x9123683E, "btrfs")]
    [InlineData(0x794C7630, "overlayfs")]
    public void FileSystemName_KnowsCommonTypes(long magic, string name) => Assert.Equal(name, PlatformProbe.FileSystemName(magic));
}
