using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Tests.Interop;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Messages;

/// <summary>Messages appended after the ones a file holds: the earlier bytes never change, and every reader sees a stream.</summary>
public sealed class AppendTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-append-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string NewPath(string name) => Path.Combine(_dir, name);

    private static MessageSummary AppendRecords(string path, int count, int checkpointEvery = 0)
    {
        using var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { Append = true, ReserveBytes = 1L << 30, ChunkBytes = 1 << 20 });
        MappedMessageBuilderTests.WriteRecords(builder, count, written => checkpointEvery > 0 && written % checkpointEvery == 0);
        return builder.Complete(flush: false);
    }

    [Fact]
    public void Three_appended_messages_form_a_stream_capnp_reads_and_the_earlier_bytes_never_change()
    {
        string path = NewPath("stream.bin");
        var first = AppendRecords(path, 50_000); // a missing file: created, the message at offset 0
        var afterFirst = File.ReadAllBytes(path);
        var second = AppendRecords(path, 1_234);
        var afterSecond = File.ReadAllBytes(path);
        Assert.Equal(afterFirst, afterSecond.AsSpan(0, afterFirst.Length).ToArray());
        var third = AppendRecords(path, 60_000, checkpointEvery: 20_000); // streams past its first gap
        var all = File.ReadAllBytes(path);
        Assert.Equal(afterSecond, all.AsSpan(0, afterSecond.Length).ToArray());
        Assert.Equal(first.Bytes + second.Bytes + third.Bytes, all.Length);

        var infos = MessageFileInfo.ReadAll(path);
        Assert.Equal([50_000L, 1_234L, 60_000L], infos.Select(i => i.RecordCount));
        Assert.All(infos, i => Assert.Equal(MessageFileState.Complete, i.State));
        Assert.Equal([0L, afterFirst.Length, afterSecond.Length], infos.Select(i => i.Offset));
        Assert.Equal(0, infos[^1].SlackBytes);

        // capnp reads the stream message by message: three JSON documents with the record counts.
        string json = CapnpTool.BinaryToJson(all, "Root", "records.capnp", shortJson: true);
        var counts = json.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("records").GetArrayLength()).ToArray();
        Assert.Equal([50_000, 1_234, 60_000], counts);
    }

    [Fact]
    public void A_message_is_appended_after_one_written_by_capnp_and_its_slack()
    {
        string path = NewPath("after-capnp.bin");
        byte[] foreign = CapnpTool.JsonToBinary("{\"label\": \"theirs\", \"records\": [{\"id\": 7, \"name\": \"x\"}]}", "Root", "records.capnp");
        File.WriteAllBytes(path, [.. foreign, .. new byte[5000]]);
        AppendRecords(path, 10);
        var infos = MessageFileInfo.ReadAll(path);
        Assert.Equal(2, infos.Count);
        Assert.Equal(MessageFileState.Unknown, infos[0].State);
        Assert.Equal(1, infos[0].RecordCount);
        Assert.Equal(foreign.Length, infos[1].Offset);
        Assert.Equal(foreign, File.ReadAllBytes(path).AsSpan(0, foreign.Length).ToArray());
        unsafe
        {
            var bytes = File.ReadAllBytes(path);
            fixed (byte* start = bytes)
            {
                using var reader = MessageReader.FromMemory(start + foreign.Length, bytes.Length - foreign.Length, ReaderOptions.Unlimited);
                Assert.Equal(10, reader.GetRoot().ReadList(1).Count);
                reader.ValidateStructure();
            }
        }
    }

    [Fact]
    public void An_appended_message_disposed_without_Complete_is_a_checkpoint_that_repair_keeps_and_the_first_is_untouched()
    {
        string path = NewPath("checkpointed.bin");
        AppendRecords(path, 300);
        var before = File.ReadAllBytes(path);
        using (var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { Append = true, ReserveBytes = 1L << 30 }))
            MappedMessageBuilderTests.WriteRecords(builder, 2_000, written => written == 1_000);
        var infos = MessageFileInfo.ReadAll(path);
        Assert.Equal(MessageFileState.Checkpoint, infos[1].State);
        Assert.Equal(2_000, infos[1].RecordCount);

        var repaired = MessageRepair.Repair(path);
        Assert.Equal(MessageFileState.Checkpoint, repaired.State);
        Assert.Equal(2_000, repaired.RecordCount);
        Assert.Equal(before, File.ReadAllBytes(path).AsSpan(0, before.Length).ToArray());
        // A message still at a checkpoint must be completed or repaired first: nothing goes after it.
        Assert.Throws<MessageAppendException>(() => MappedMessageBuilder.Create(path, new MappedMessageOptions { Append = true }));
        Assert.Equal(repaired.BytesAfter, new FileInfo(path).Length);
    }

    [Fact]
    public void Append_refuses_a_file_that_holds_no_message_and_leaves_it_as_it_was()
    {
        string path = NewPath("text.bin");
        File.WriteAllText(path, new string('x', 10_000));
        Assert.Throws<MessageAppendException>(() => MappedMessageBuilder.Create(path, new MappedMessageOptions { Append = true }));
        Assert.Equal(new string('x', 10_000), File.ReadAllText(path));
    }
}
