using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Tests.Interop;
using Xunit;

namespace CapMap.Tests.Messages;

/// <summary>
/// How Complete closes the gaps a streaming list leaves, by size: a small tail is copied down to the byte
/// (no collapse-range writeback, no alignment padding), a large one is collapsed where the file system can.
/// The temp directory is ext4, where collapse-range works, so the copy is a choice and not a fallback.
/// </summary>
public sealed class FinishTests : IDisposable
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
        Assert.Equal(GapClosing.Moved, summary.Gaps);
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
