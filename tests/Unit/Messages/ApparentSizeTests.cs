using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Tests.Interop;
using CapMap.Tests.Mapping;
using Xunit;

namespace CapMap.Tests.Messages;

/// <summary>
/// An open or checkpointed message's file is its data plus a bounded slack, on the file systems where a
/// streaming list keeps sparse holes (ext4 and XFS, each on a loop image of its own): the holes are bounded
/// (<see cref="SparseLanes.ChildRoomBytes"/> + <see cref="SparseLanes.ElementRoomStepBytes"/>), and insert-range
/// widens the list's room without copying a byte. Before, the list's hole was as large as its segment could
/// grow, and three records showed 4 GiB of apparent size.
/// </summary>
public sealed class ApparentSizeTests
{
    /// <summary>The promise of docs/design.md ("Sparse lanes"): what a checkpointed file may show beyond its data.</summary>
    private const long Slack = 64L << 20;

    private static IDisposable Mount(string fileSystem, out string dir)
    {
        if (fileSystem == "xfs")
        {
            var xfs = new XfsMount();
            dir = xfs.Path;
            return xfs;
        }
        var ext4 = new Ext4Mount();
        dir = ext4.Path;
        return ext4;
    }

    [Theory]
    [InlineData("ext4")]
    [InlineData("xfs")]
    public void A_checkpointed_three_record_message_is_its_data_plus_a_bounded_slack_and_capnp_reads_it(string fileSystem)
    {
        using var mount = Mount(fileSystem, out string dir);
        string path = Path.Combine(dir, "three.bin");
        long used;
        using (var builder = MappedMessageBuilder.Create(path))
        {
            MappedMessageBuilderTests.WriteRecords(builder, 3, written => written == 3);
            Assert.True(builder.LastCheckpoint is { RecordCount: 3 });
            used = builder.UsedBytes;
            // Header page, schema-less root, three 3-word elements and their children: a few KiB of data.
            Assert.InRange(used, 4096, 64 << 10);
            long open = new FileInfo(path).Length;
            Assert.True(open <= used + Slack, $"{fileSystem}: the open message's file is {open:N0} bytes for {used:N0} bytes of data");
        }
        // Disposed without Complete: a stopped message, at its checkpoint.
        long length = new FileInfo(path).Length;
        Assert.True(length <= used + Slack, $"{fileSystem}: the checkpointed file is {length:N0} bytes for {used:N0} bytes of data");
        var info = MessageFileInfo.Read(path);
        Assert.Equal(MessageFileState.Checkpoint, info.State);
        Assert.Equal(3, info.RecordCount);
        MappedMessageBuilderTests.AssertRecords(path, 3);
        string json = CapnpTool.BinaryToJson(File.ReadAllBytes(path), "Root", "records.capnp", shortJson: true);
        Assert.Contains("\"name\":\"record 2\"", json);
    }

    [Fact]
    public void UsedBytes_counts_data_not_the_holes_of_a_streaming_list()
    {
        using var mount = new Ext4Mount();
        string path = mount.File("used.bin");
        using var builder = MappedMessageBuilder.Create(path);
        MappedMessageBuilderTests.WriteRecords(builder, 3, _ => false);
        // Header page, root, three 3-word elements and their children: a few KiB, not the 60 MiB of holes.
        Assert.InRange(builder.UsedBytes, 4096, 64 << 10);
        var summary = builder.Complete(flush: false);
        Assert.Equal(new FileInfo(path).Length, summary.Bytes);
    }

    [Theory]
    [InlineData("ext4", GrowthMode.Fault)]
    [InlineData("ext4", GrowthMode.Eager)]
    [InlineData("xfs", GrowthMode.Fault)]
    public void Insert_range_widens_the_list_room_without_copying_and_each_checkpoint_stays_bounded(string fileSystem, GrowthMode growth)
    {
        using var mount = Mount(fileSystem, out string dir);
        string path = Path.Combine(dir, "inserts.bin");
        // Rooms of 256 KiB: 60,000 records (1.4 MB of elements) need a few inserts; 256 KiB growth chunks.
        var rooms = new SparseLaneRooms(256 << 10, 256 << 10);
        const long Chunk = 256 << 10;
        const int Records = 60_000;
        var options = new MappedMessageOptions { ReserveBytes = 1L << 30, ChunkBytes = Chunk, Growth = growth, SparseRooms = rooms };
        var worst = 0L;
        MessageSummary summary;
        using (var builder = MappedMessageBuilder.Create(path, options))
        {
            MappedMessageBuilderTests.WriteRecords(builder, Records, written =>
            {
                if (written % 5_000 != 0) return false;
                // Checked at the checkpoint before it (the arena's state is the same): the holes, and the growth chunk ahead.
                worst = Math.Max(worst, new FileInfo(path).Length - builder.UsedBytes);
                return true;
            });
            summary = builder.Complete(flush: false);
        }
        Assert.True(summary.SparseLanes);
        Assert.True(summary.StreamRoomInserts >= 3, $"{summary.StreamRoomInserts} inserts");
        Assert.Equal(0, summary.StreamMovedBytes);
        long bound = rooms.ChildRoomBytes + rooms.ElementRoomStepBytes + Chunk + 2 * MappedFileLayout.GapAlignment;
        Assert.True(worst <= bound, $"{fileSystem}: a checkpoint's file was {worst:N0} bytes beyond its data (bound {bound:N0})");
        MappedMessageBuilderTests.AssertRecords(path, Records);
        string json = CapnpTool.BinaryToJson(File.ReadAllBytes(path), "Root", "records.capnp", shortJson: true);
        Assert.Contains($"\"name\":\"record {Records - 1}\"", json);
    }
}
