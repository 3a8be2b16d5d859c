using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Tests.Interop;
using Xunit;
using Xunit.Abstractions;

namespace CapMap.Tests.Messages;

/// <summary>
/// How Complete closes the gaps a streaming list leaves, by size: a small tail is copied down to the byte
/// (no collapse-range writeback, no alignment padding), a large one is collapsed where the file system can.
/// The temp directory is ext4, where collapse-range works, so the copy is a choice and not a fallback.
/// </summary>
public sealed class FinishTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-finish-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void A_small_message_is_closed_by_a_copy_and_keeps_no_padding(int records)
    {
        string path = Path.Combine(_dir, $"small{records}.bin");
        var summary = MappedMessageBuilderTests.BuildRecords(path, records, GrowthMode.Fault);

        Assert.True(summary.SparseLanes, "ext4 gives the list a sparse lane, whose holes Complete must close");
        Assert.Equal(GapClosing.Copied, summary.Gaps);
        long length = new FileInfo(path).Length;
        Assert.Equal(length, summary.Bytes);
        // The header page, then the data: root (3 words), the list's tag and elements (4 words each with
        // their texts and tag lists, about 11 words), the main lane's landing pads. No 64 KiB alignment.
        long dataBytes = length - MappedFileLayout.HeaderBytes;
        Assert.True(dataBytes <= 16 + 8 * (8 + 16L * records), $"{records} record(s) take {length} bytes ({dataBytes} after the header page)");
        MappedMessageBuilderTests.AssertRecords(path, records);
        string json = CapnpTool.BinaryToJson(File.ReadAllBytes(path), "Root", "records.capnp", shortJson: true);
        Assert.Contains($"\"name\":\"record {records - 1}\"", json);
    }

    [Fact]
    public void A_small_message_copies_its_tails_into_the_gaps_with_one_flush_each_instead_of_a_journal()
    {
        string path = Path.Combine(_dir, "flushes.bin");
        int wholeFileFlushes = 0;
        Action<FlushPoint> count = point =>
        {
            if (point.WholeFile && point.Path == path) Interlocked.Increment(ref wholeFileFlushes);
        };
        FlushPoints.Listener += count;
        MessageSummary summary;
        try
        {
            using var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { Growth = GrowthMode.Fault });
            MappedMessageBuilderTests.WriteRecords(builder, 1, _ => false);
            summary = builder.Complete(flush: true);
        }
        finally
        {
            FlushPoints.Listener -= count;
        }

        // Two gaps (below the list's lane and below its children's room), each tail a few words in a hole of megabytes.
        Assert.Equal(GapClosing.Copied, summary.Gaps);
        Assert.Equal(3, summary.SegmentWords.Count);
        // The checkpoint before the gaps close, one flush per copy, the layout before the cut, the cut, the Complete
        // record: 6. Journaled, each copy took five (the data and header before announcing, the reset progress word,
        // the announcement, the chunk, its count): 13 in all, most of a small message's finish on ext4.
        output.WriteLine($"{wholeFileFlushes} whole-file flushes");
        Assert.True(wholeFileFlushes <= 6, $"{wholeFileFlushes} fsync/fdatasync calls to complete one record");
        MappedMessageBuilderTests.AssertRecords(path, 1);
    }

    [Fact]
    public void A_tail_larger_than_the_copy_limit_is_collapsed()
    {
        string path = Path.Combine(_dir, "large.bin");
        // About 60 bytes a record: 200,000 records make a tail well past the copy limit.
        var summary = MappedMessageBuilderTests.BuildRecords(path, 200_000, GrowthMode.Fault);
        Assert.True(summary.Bytes > MappedMessageBuilder.DefaultCopyTailLimitBytes, $"{summary.Bytes} bytes");
        Assert.Equal(GapClosing.Collapsed, summary.Gaps & GapClosing.Collapsed);
        MappedMessageBuilderTests.AssertRecords(path, 200_000);
    }
}
