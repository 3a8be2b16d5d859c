using CapMap.Mapping;
using CapMap.Messages;
using Xunit;

namespace CapMap.Tests.Mapping;

/// <summary>
/// In Fault growth a failed file sends every later store to a throwaway page; the arena polls the failure
/// by bytes allocated, so big records cannot pour gigabytes into it before anyone notices.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class FailurePollingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void A_disk_full_under_1_MiB_records_is_reported_within_64_MiB_of_the_limit()
    {
        const long tmpfsBytes = 16L << 20;
        using var tmpfs = new TmpfsMount("16m");
        var payload = new byte[1 << 20];
        new Random(5).NextBytes(payload);
        long written = 0;
        var builder = MappedMessageBuilder.Create(tmpfs.File("big.bin"), new MappedMessageOptions { Growth = GrowthMode.Fault, ReserveBytes = 4L << 30 });
        try
        {
            var root = builder.InitRoot(0, 1);
            var list = builder.OpenStructList(root, 0, 1, 1);
            // Without a poll nothing stops this loop before its end: 1 GiB into the throwaway page.
            var failure = Record.Exception(() =>
            {
                for (int i = 0; i < 1024; i++)
                {
                    var record = list.Append();
                    record.WriteInt64(0, i);
                    record.SetData(0, payload);
                    written += payload.Length;
                }
            });
            output.WriteLine($"failure reported after {written >> 20} MiB of payload");
            var failed = Assert.IsType<MappedFileFailedException>(failure);
            Assert.Equal(MappedFileFailure.DiskFull, failed.Reason);
            Assert.True(written <= tmpfsBytes + MappedSegmentArena.FailureCheckBytes + (2L << 20),
                $"the failure was reported after {written >> 20} MiB of 1 MiB records on a 16 MiB file system");
        }
        finally
        {
            builder.Dispose();
        }
    }
}
