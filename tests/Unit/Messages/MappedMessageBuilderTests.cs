using CapMap.IO;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Messages;

public sealed class MappedMessageBuilderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-msg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string NewPath(string name = "m.bin") => Path.Combine(_dir, name);

    /// <summary>Root { label @0 :Text; records @1 :List(Record) } with Record { id :Int64 (word 0), name :Text (ptr 0), tags :List(Text) (ptr 1) }.</summary>
    internal static MessageSummary BuildRecords(string path, int count, GrowthMode growth, int checkpointEvery = 0, long reserve = 1L << 30, bool complete = true)
    {
        using var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { Growth = growth, ReserveBytes = reserve, ChunkBytes = 1 << 20 });
        WriteRecords(builder, count, written => checkpointEvery > 0 && written % checkpointEvery == 0);
        return complete ? builder.Complete(flush: false) : null!;
    }

    /// <summary>Writes the root and <paramref name="count"/> records; checkpoints (unflushed) after a record when <paramref name="checkpointAfter"/> says so.</summary>
    internal static void WriteRecords(MappedMessageBuilder builder, int count, Func<int, bool> checkpointAfter)
    {
        var root = builder.InitRoot(0, 2);
        root.SetText(0, "batch");
        var list = builder.OpenStructList(root, 1, 1, 2);
        for (int i = 0; i < count; i++)
        {
            AppendRecord(list, i);
            if (checkpointAfter(i + 1)) builder.Checkpoint(flush: false);
        }
    }

    /// <summary>Appends record <paramref name="i"/> as <see cref="AssertRecords"/> expects it: its id, its name, two tags.</summary>
    internal static void AppendRecord(StreamingStructListBuilder list, int i)
    {
        var record = list.Append();
        record.WriteInt64(0, i);
        record.SetText(0, "record " + i);
        var tags = record.InitList(1, ElementSize.Pointer, 2);
        tags.SetText(0, "a");
        tags.SetText(1, "b" + i);
    }

    internal static void AssertRecords(string path, int count)
    {
        using var reader = MessageFile.Open(path, ReaderOptions.Unlimited);
        var root = reader.GetRoot();
        Assert.Equal("batch", root.ReadText(0));
        var records = root.ReadList(1);
        Assert.Equal(count, records.Count);
        for (int i = 0; i < count; i++)
        {
            var record = records.GetStruct(i);
            Assert.Equal(i, record.ReadInt64(0));
            Assert.Equal("record " + i, record.ReadText(0));
            Assert.Equal("b" + i, record.ReadList(1).GetText(1));
        }
    }

    [Theory]
    [InlineData(GrowthMode.Fault)]
    [InlineData(GrowthMode.Eager)]
    public void Streams_records_and_finishes_to_a_readable_exactly_sized_file(GrowthMode growth)
    {
        string path = NewPath();
        var summary = BuildRecords(path, 20_000, growth);
        Assert.Equal(new FileInfo(path).Length, summary.Bytes);
        Assert.Equal(20_000, summary.RecordCount);
        AssertRecords(path, 20_000);
        var info = MessageFileInfo.Read(path);
        Assert.Equal(MessageFileState.Complete, info.State);
        Assert.Equal(0, info.SlackBytes);
        Assert.Equal(summary.SegmentWords, info.SegmentWords);
    }

    [Fact]
    public void A_message_without_streaming_is_one_contiguous_segment()
    {
        string path = NewPath();
        using (var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 1L << 28 }))
        {
            var root = builder.InitRoot(1, 1);
            root.WriteInt64(0, 42);
            root.SetText(0, "hello");
            var summary = builder.Complete(flush: true);
            Assert.Single(summary.SegmentWords);
            Assert.Equal(GapClosing.None, summary.Gaps);
        }
        using var reader = MessageFile.Open(path);
        Assert.Equal(42, reader.GetRoot().ReadInt64(0));
        Assert.Equal("hello", reader.GetRoot().ReadText(0));
    }

    [Fact]
    public void Refuses_an_existing_file_unless_overwriting()
    {
        string path = NewPath();
        File.WriteAllText(path, "keep me");
        Assert.Throws<MappedFileExistsException>(() => MappedMessageBuilder.Create(path));
        Assert.Equal("keep me", File.ReadAllText(path));
        using (var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { Overwrite = true, ReserveBytes = 1L << 28 }))
            builder.InitRoot(1, 0).WriteInt32(0, 5);
        Assert.Equal(5, MessageFile.Open(path).GetRoot().ReadInt32(0));
    }

    [Fact]
    public void A_second_writer_on_the_same_path_is_refused_and_the_first_is_untouched()
    {
        string path = NewPath();
        using var first = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 1L << 28 });
        first.InitRoot(1, 0).WriteInt64(0, 7);
        Assert.Throws<FileLockedException>(() => MappedMessageBuilder.Create(path, new MappedMessageOptions { Overwrite = true, ReserveBytes = 1L << 28 }));
        first.Complete();
        using var reader = MessageFile.Open(path);
        Assert.Equal(7, reader.GetRoot().ReadInt64(0));
    }

    [Fact]
    public void Checkpoint_makes_a_valid_message_while_building_continues()
    {
        string path = NewPath();
        using var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 1L << 30 });
        var root = builder.InitRoot(0, 2);
        root.SetText(0, "batch");
        var list = builder.OpenStructList(root, 1, 1, 2);
        for (int i = 0; i < 1000; i++)
        {
            var r = list.Append();
            r.WriteInt64(0, i);
            r.SetText(0, "record " + i);
            r.InitList(1, ElementSize.Pointer, 2).SetText(1, "b" + i);
        }
        var checkpoint = builder.Checkpoint();
        Assert.Equal(1000, checkpoint.RecordCount);
        for (int i = 0; i < 10; i++) list.Append().WriteInt64(0, -1);

        // A reader may open the file while it is being built: it sees exactly the checkpoint.
        AssertRecords(path, 1000);
        Assert.Equal(MessageFileState.Checkpoint, MessageFileInfo.Read(path).State);
    }

    [Fact]
    public void Disposing_without_complete_keeps_every_appended_record_as_a_checkpoint()
    {
        string path = NewPath();
        BuildRecords(path, 500, GrowthMode.Fault, checkpointEvery: 300, complete: false);
        AssertRecords(path, 500);
        var info = MessageFileInfo.Read(path);
        Assert.Equal(MessageFileState.Checkpoint, info.State);
        Assert.Equal(500, info.RecordCount);
        var result = MessageRepair.Repair(path);
        Assert.Equal(500, result.RecordCount);
        AssertRecords(path, 500);
    }

    [Fact]
    public void Repair_refuses_a_file_without_a_checkpoint_record()
    {
        string path = NewPath();
        File.WriteAllBytes(path, new byte[8192]);
        Assert.Throws<MessageRepairException>(() => MessageRepair.Repair(path));
    }

    [Fact]
    public void Resize_trims_slack_and_info_reports_it()
    {
        string path = NewPath();
        BuildRecords(path, 100, GrowthMode.Fault);
        long size = new FileInfo(path).Length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write)) stream.SetLength(size + 12345);
        Assert.Equal(12345, MessageFileInfo.Read(path).SlackBytes);
        Assert.Equal(12345, MessageFileSlack.Trim(path));
        Assert.Equal(size, new FileInfo(path).Length);
        AssertRecords(path, 100);
    }

    [Fact]
    public void Interop_capnp_tool_decodes_a_mapped_message_with_a_streaming_list()
    {
        string path = NewPath();
        BuildRecords(path, 3, GrowthMode.Fault);
        string schema = Path.Combine(_dir, "rec.capnp");
        File.WriteAllText(schema, "@0xe0b4a9c2d2f1a3b7;\nstruct Record { id @0 :Int64; name @1 :Text; tags @2 :List(Text); }\nstruct Root { label @0 :Text; records @1 :List(Record); }\n");
        var psi = new System.Diagnostics.ProcessStartInfo("capnp", new[] { "convert", "binary:json", "--short", schema, "Root" })
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(psi)!;
        using (var input = File.OpenRead(path)) input.CopyTo(process.StandardInput.BaseStream);
        process.StandardInput.Close();
        string json = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        Assert.Equal("{\"label\":\"batch\",\"records\":[{\"id\":\"0\",\"name\":\"record 0\",\"tags\":[\"a\",\"b0\"]},{\"id\":\"1\",\"name\":\"record 1\",\"tags\":[\"a\",\"b1\"]},{\"id\":\"2\",\"name\":\"record 2\",\"tags\":[\"a\",\"b2\"]}]}", json.Trim());
    }
}
