using System.Text.Json;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Schema;
using CapMap.Tests.Interop;
using CapMap.Wire;
using Xunit;
using static CapMap.Tests.Objects.ObjectTestSupport;

namespace CapMap.Tests.Messages;

/// <summary>
/// A streaming list that is full goes on in the next message of the same file, with the root's other fields
/// copied: tested with a small per-message limit (the real one, over 4 GiB, is in <see cref="LargeMessageTests"/>).
/// </summary>
public sealed class ContinuationTests : IDisposable
{
    // continuation.capnp: Root { label ptr 0, items ptr 1 (Item: 1 data word, 1 pointer), version data 0, meta ptr 2, done ptr 3 }.
    private const int ItemsPerMessage = 100, ItemBytes = 16;
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-continue-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private MappedMessageOptions Limited => new() { ReserveBytes = 1L << 30, ChunkBytes = 1 << 20, MaxListBytesPerMessage = ItemsPerMessage * ItemBytes };

    private static void WriteItem(StructBuilder item, long id)
    {
        item.WriteInt64(0, id);
        item.SetText(0, "item " + id);
    }

    /// <summary>capnp's reading of the stream: one JSON document per message.</summary>
    private static JsonElement[] ReadWithCapnp(string path) =>
        CapnpTool.BinaryToJson(File.ReadAllBytes(path), "Root", "continuation.capnp", shortJson: true)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // compact lanes: the segments after the list move while it grows, and Complete moves the tail
    public void A_full_list_goes_on_in_the_next_message_with_every_other_root_field_copied(bool compactLanes)
    {
        string path = Path.Combine(_dir, "items.bin");
        const int total = 1_050;
        var builder = MappedMessageBuilder.Create(path, Limited with { CompactLanes = compactLanes });
        MessageSummary summary;
        var offsets = new List<long>();
        try
        {
            var root = builder.InitRoot(1, 4);
            root.SetText(0, "inventory");
            root.WriteUInt32(0, 7);
            var meta = root.InitStruct(2, 0, 3);
            meta.SetText(0, "sensor");
            var numbers = meta.InitList(1, ElementSize.FourBytes, 3);
            for (int i = 0; i < 3; i++) numbers.SetInt32(i, -i * 1000);
            var tags = meta.InitList(2, ElementSize.Pointer, 2);
            tags.SetText(0, "x");
            tags.SetText(1, "y");
            // A list completed before the streamed one: its records belong to the first message only.
            var done = builder.OpenStructList(root, 3, 1, 1);
            for (int i = 0; i < 3; i++) WriteItem(done.Append(), -1 - i);
            done.Complete();

            var items = builder.OpenStructList(root, 1, 1, 1);
            Assert.Equal(ItemsPerMessage, items.Capacity);
            for (long id = 0; id < total; id++)
            {
                if (items.IsFull)
                {
                    Assert.Throws<CapnpCapacityException>(() => items.Append());
                    var next = builder.ContinueInNextMessage(flush: false);
                    Assert.True(builder.IsCompleted);
                    Assert.Throws<ObjectDisposedException>(() => builder.Checkpoint());
                    offsets.Add(next.Completed.MessageOffset);
                    builder = next.Builder;
                    items = next.List!;
                    Assert.Equal(0, items.Count);
                    Assert.Equal(id + 3, builder.AppendedCount); // the records of the earlier messages count too
                }
                WriteItem(items.Append(), id);
            }
            summary = builder.Complete(flush: false);
            offsets.Add(summary.MessageOffset);
        }
        finally
        {
            builder.Dispose();
        }

        int messages = (total + ItemsPerMessage - 1) / ItemsPerMessage;
        Assert.Equal(messages, summary.Messages);
        Assert.Equal(total + 3, summary.RecordCount);

        var infos = MessageFileInfo.ReadAll(path);
        Assert.Equal(messages, infos.Count);
        Assert.Equal(offsets, infos.Select(i => i.Offset));
        Assert.All(infos, i => Assert.Equal(MessageFileState.Complete, i.State));
        Assert.Equal(0, infos[^1].SlackBytes);
        Assert.Equal(new FileInfo(path).Length, infos[^1].Offset + infos[^1].MessageBytes);

        var read = ReadWithCapnp(path);
        Assert.Equal(messages, read.Length);
        long expectedId = 0;
        for (int m = 0; m < read.Length; m++)
        {
            var root = read[m];
            Assert.Equal("inventory", root.GetProperty("label").GetString());
            Assert.Equal(7, root.GetProperty("version").GetInt32());
            var meta = root.GetProperty("meta");
            Assert.Equal("sensor", meta.GetProperty("source").GetString());
            Assert.Equal([0, -1000, -2000], meta.GetProperty("numbers").EnumerateArray().Select(n => n.GetInt32()));
            Assert.Equal(["x", "y"], meta.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal(m == 0, root.TryGetProperty("done", out _));
            var items = root.GetProperty("items");
            Assert.Equal(m < messages - 1 ? ItemsPerMessage : total - (messages - 1) * ItemsPerMessage, items.GetArrayLength());
            foreach (var item in items.EnumerateArray())
            {
                Assert.Equal(expectedId.ToString(), item.GetProperty("id").ToString());
                Assert.Equal("item " + expectedId, item.GetProperty("name").GetString());
                expectedId++;
            }
        }
        Assert.Equal(total, expectedId);
    }

    [Fact]
    public void A_list_knows_its_capacity_from_the_segment_limit()
    {
        string path = Path.Combine(_dir, "capacity.bin");
        using var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 64L << 30 });
        var root = builder.InitRoot(0, 1);
        var list = builder.OpenStructList(root, 0, 5, 1);
        // A segment holds 2^29−1 words; sparse lanes keep the first eighth for the elements' children.
        long words = (long)list.Capacity * 6;
        Assert.InRange(words, WireLimits.MaxSegmentWords / 8 * 7 - (1 << 20), WireLimits.MaxSegmentWords);
        Assert.False(list.IsFull);
        list.Append();
        builder.Complete(flush: false);
    }

    [Fact]
    public void A_continuation_keeps_a_checkpoint_that_repair_restores_and_the_earlier_messages_untouched()
    {
        string path = Path.Combine(_dir, "repair.bin");
        var builder = MappedMessageBuilder.Create(path, Limited);
        var root = builder.InitRoot(1, 4);
        root.SetText(0, "inventory");
        var items = builder.OpenStructList(root, 1, 1, 1);
        for (long id = 0; id < 250; id++)
        {
            if (items.IsFull)
            {
                var next = builder.ContinueInNextMessage(flush: false);
                builder = next.Builder;
                items = next.List!;
            }
            WriteItem(items.Append(), id);
            if (id == 239) builder.Checkpoint(flush: false);
        }
        // The first two messages are complete; the third is at a checkpoint of 40 items.
        var second = MessageFileInfo.ReadAll(path)[1];
        var before = File.ReadAllBytes(path).AsSpan(0, (int)(second.Offset + second.MessageBytes)).ToArray();
        builder.Dispose(); // without Complete: a final checkpoint of all 50
        var repaired = MessageRepair.Repair(path);
        Assert.Equal(50, repaired.RecordCount);
        Assert.Equal(before, File.ReadAllBytes(path).AsSpan(0, before.Length).ToArray());
        Assert.Equal([100, 100, 50], ReadWithCapnp(path).Select(r => r.GetProperty("items").GetArrayLength()));
    }
}

/// <summary>Export and Add-CapnpStruct write through <see cref="ObjectMessageWriter"/>: for them the continuation is transparent.</summary>
public sealed class ObjectWriterContinuationTests : IDisposable
{
    private static readonly Lazy<SchemaSet> s_set = new(() => SchemaSet.Load(CapnpTool.CompileRequest("objects.capnp")));
    private static StructSchema Report => s_set.Value.GetStruct("Report");
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-continue-obj-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static FieldPath At(string path) => FieldPath.Resolve(Report, path)!;

    [Fact]
    public void Records_past_a_full_list_go_on_in_next_messages_and_read_back_in_order_with_the_root_in_each()
    {
        string path = Path.Combine(_dir, "report.bin");
        // Rec is 1 data word and 1 pointer: 16 bytes, 40 per message.
        var options = new MappedMessageOptions { ReserveBytes = 1L << 30, MaxListBytesPerMessage = 40 * 16 };
        using (var writer = ObjectMessageWriter.Create(path, options, Report, H(("meta", H(("owner", "ops")))), new ObjectWriterOptions()))
        {
            writer.Write(At("detail"), H(("note", "n")), strict: false);
            for (uint i = 0; i < 100; i++)
            {
                writer.Write(At("records"), H(("id", i), ("name", $"r{i}")), strict: false);
                if (i == 50) writer.Write(At("meta"), H(("version", 2u)), strict: false); // a root field set in a later message
            }
            // Another list, in the struct the path made before the first continuation: its copy is used.
            for (uint i = 0; i < 90; i++) writer.Write(At("detail.samples"), H(("id", 1000 + i)), strict: false);
            Assert.Equal(190, writer.Builder.AppendedCount);
            var summary = writer.Complete(flush: false);
            Assert.Equal(5, summary.Messages); // records 40 + 40 + 20; the samples start afresh in message 3: 40 + 40 + 10
            Assert.Equal(190, summary.RecordCount);
        }

        using (var reader = ObjectMessageReader.Open(path, Report, At("records")))
            Assert.Equal(Enumerable.Range(0, 100).Select(i => (object)(uint)i), reader.Read(0, int.MaxValue).Select(r => r["id"]));
        using (var reader = ObjectMessageReader.Open(path, Report, At("detail.samples")))
            Assert.Equal(Enumerable.Range(1000, 90).Select(i => (object)(uint)i), reader.Read(0, int.MaxValue).Select(r => r["id"]));

        var messages = CapnpTool.BinaryToJson(File.ReadAllBytes(path), "Report", "objects.capnp", shortJson: true)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();
        Assert.Equal(5, messages.Length);
        Assert.All(messages, m => Assert.Equal("ops", m.GetProperty("meta").GetProperty("owner").GetString()));
        Assert.All(messages, m => Assert.Equal("n", m.GetProperty("detail").GetProperty("note").GetString()));
        Assert.Equal([false, true, true, true, true], messages.Select(m => m.GetProperty("meta").TryGetProperty("version", out var v) && v.GetInt32() == 2));
    }
}
