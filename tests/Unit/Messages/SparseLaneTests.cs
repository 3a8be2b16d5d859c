using CapMap.IO;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Tests.Interop;
using CapMap.Tests.Mapping;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Messages;

/// <summary>
/// Sparse lanes (collapse-range file systems; the temp directory is ext4): a streaming list keeps bounded holes,
/// its elements' children below it and room for its elements above it that insert-range widens, so nothing is
/// copied while building and element pointers are near pointers (no landing pads). Where they are not used (CompactLanes, tmpfs), children sit
/// behind far pointers and the gap doubles with moves.
/// </summary>
public sealed class SparseLaneTests : IDisposable
{
    private const int Records = 100_000;
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-lanes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private MessageSummary Build(string name, bool compactLanes, GrowthMode growth = GrowthMode.Fault)
    {
        string path = Path.Combine(_dir, name);
        using var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 1L << 30, Growth = growth, CompactLanes = compactLanes });
        MappedMessageBuilderTests.WriteRecords(builder, Records, _ => false);
        var summary = builder.Complete(flush: false);
        MappedMessageBuilderTests.AssertRecords(path, Records);
        return summary;
    }

    [Theory]
    [InlineData(GrowthMode.Fault)]
    [InlineData(GrowthMode.Eager)]
    public void Children_below_the_list_need_no_landing_pads_and_nothing_moves(GrowthMode growth)
    {
        var sparse = Build("sparse.bin", compactLanes: false, growth);
        var compact = Build("compact.bin", compactLanes: true, growth);
        Assert.True(sparse.SparseLanes);
        Assert.False(compact.SparseLanes);
        Assert.Equal(0, sparse.StreamMovedBytes);
        Assert.True(compact.StreamMovedBytes > 0, "the compact layout doubles its gap with moves");
        // The tail above the list's hole is small enough to be copied down rather than collapsed, and fits in the hole.
        Assert.True(sparse.Bytes < MappedMessageBuilder.DefaultCopyTailLimitBytes, $"{sparse.Bytes} bytes");
        Assert.Equal(GapClosing.Copied, sparse.Gaps);
        // Each record has two children reached from the element (name, tags): a one-word landing pad each,
        // less the few alignment words at the lanes' edges.
        long saved = compact.Bytes - sparse.Bytes;
        Assert.True(saved >= Records * 16L - (256 << 10), $"sparse {sparse.Bytes} bytes, compact {compact.Bytes}: {saved} saved");
        Assert.Equal(new FileInfo(Path.Combine(_dir, "sparse.bin")).Length, sparse.Bytes);
    }

    [Theory]
    [InlineData(GrowthMode.Fault)]
    [InlineData(GrowthMode.Eager)]
    public unsafe void Children_of_many_child_rooms_worth_stay_below_the_list_with_no_landing_pad(GrowthMode growth)
    {
        string path = Path.Combine(_dir, "grown.bin");
        // A 256 KiB child room: 60,000 records' children (name and tags, about 3 MB) fill it a dozen times over, so it
        // grows downwards again and again, with a checkpoint now and then (each growth is then announced and published).
        const int Count = 60_000;
        var options = new MappedMessageOptions { ReserveBytes = 1L << 30, Growth = growth, SparseRooms = new SparseLaneRooms(256 << 10, 256 << 10) };
        MessageSummary summary;
        using (var builder = MappedMessageBuilder.Create(path, options))
        {
            MappedMessageBuilderTests.WriteRecords(builder, Count, written => written % 7_000 == 0);
            summary = builder.Complete(flush: false);
        }
        Assert.True(summary.SparseLanes);
        MappedMessageBuilderTests.AssertRecords(path, Count);
        using (var reader = MessageFile.Open(path, ReaderOptions.Unlimited))
        {
            // Every element reaches its name and tags with a near pointer; a child past the room would need a far one.
            var records = reader.GetRoot().ReadList(1);
            int far = 0;
            for (int i = 0; i < Count; i++)
            {
                var record = records.GetStruct(i);
                for (int p = 0; p < record.PointerCount; p++) if (WirePointer.Kind(record.Pointers[p]) == WirePointer.KindFar) far++;
            }
            Assert.Equal(0, far);
        }
        string json = CapnpTool.BinaryToJson(File.ReadAllBytes(path), "Root", "records.capnp", shortJson: true);
        Assert.Contains($"\"name\":\"record {Count - 1}\"", json);
    }

    [Fact]
    public unsafe void The_child_room_grows_to_an_eighth_of_the_segment_and_later_children_take_far_pointers()
    {
        string path = Path.Combine(_dir, "capped.bin");
        // A 16 MiB reserve bounds the stream's segment to about 16 MiB, so its child room may grow to about 2 MiB
        // (256 KiB, then 192 KiB at a time). 60,000 records' children (about 2.9 MB) outgrow that: the room stops,
        // and the children after it go to the main lane behind far pointers, leaving the rest of the segment to the list.
        const int Count = 60_000;
        const long FirstRoom = 256 << 10;
        var options = new MappedMessageOptions { ReserveBytes = 16L << 20, SparseRooms = new SparseLaneRooms(FirstRoom, 256 << 10) };
        MessageSummary summary;
        using (var builder = MappedMessageBuilder.Create(path, options))
        {
            MappedMessageBuilderTests.WriteRecords(builder, Count, written => written % 20_000 == 0);
            summary = builder.Complete(flush: false);
        }
        Assert.True(summary.SparseLanes);
        long step = FirstRoom * 4 / 5 / MappedFileLayout.GapAlignment * MappedFileLayout.GapAlignment;
        Assert.InRange(summary.ChildRoomInserts, 1, (int)(((16L << 20) / 8 - FirstRoom) / step));
        MappedMessageBuilderTests.AssertRecords(path, Count);
        using (var reader = MessageFile.Open(path, ReaderOptions.Unlimited))
        {
            var records = reader.GetRoot().ReadList(1);
            int firstFar = -1;
            for (int i = 0; i < Count && firstFar < 0; i++)
            {
                var record = records.GetStruct(i);
                for (int p = 0; p < record.PointerCount; p++) if (WirePointer.Kind(record.Pointers[p]) == WirePointer.KindFar) firstFar = i;
            }
            // The early records' children are near; only those after the room stopped growing are far.
            Assert.InRange(firstFar, 20_000, Count - 1);
        }
        string json = CapnpTool.BinaryToJson(File.ReadAllBytes(path), "Root", "records.capnp", shortJson: true);
        Assert.Contains($"\"name\":\"record {Count - 1}\"", json);
    }

    [Fact]
    public void A_checkpointed_file_declares_the_holes_as_padding_and_capnp_reads_it()
    {
        string path = Path.Combine(_dir, "checkpointed.bin");
        // The list's rooms (40 MiB for children, 20 MiB for elements) are holes the checkpointed file keeps.
        using (var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 256L << 20 }))
            MappedMessageBuilderTests.WriteRecords(builder, 5_000, written => written == 2_500);
        var info = MessageFileInfo.Read(path);
        Assert.Equal(MessageFileState.Checkpoint, info.State);
        Assert.Equal(5_000, info.RecordCount);
        Assert.True(info.MessageBytes > 32L << 20, $"expected the holes in the checkpointed file, got {info.MessageBytes} bytes");
        MappedMessageBuilderTests.AssertRecords(path, 5_000);
        // The shell opens the file without the flock File.ReadAllBytes takes (a child forked by another test
        // may briefly hold a copy of the writer's descriptor and its lock).
        string schema = CapnpTool.SchemaPath("records.capnp");
        var (code, json) = Tools.Run("/bin/bash", "-c",
            $"cd '{Path.GetDirectoryName(schema)}' && {CapnpTool.Executable} convert binary:json --short '{Path.GetFileName(schema)}' Root < '{path}'");
        Assert.True(code == 0, json.Length > 2000 ? json[..2000] : json);
        Assert.Contains("\"name\":\"record 4999\"", json);

        var repaired = MessageRepair.Repair(path);
        Assert.Equal(5_000, repaired.RecordCount);
        MappedMessageBuilderTests.AssertRecords(path, 5_000);
    }
}
