using System.Diagnostics;
using System.Text.Json;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Tests.Interop;
using CapMap.Tests.Mapping;
using CapMap.Tests.Messages;
using Xunit;
using Xunit.Abstractions;

namespace CapMap.Tests.Reliability;

/// <summary>
/// Kills a child writer with SIGKILL at every step of the work that moves bytes in place (the gap moves
/// while streaming, and Complete: checkpoint, collapse, copy into the gap or journaled copy chunk by chunk,
/// cut, header), then repairs: the file must be the completed message or exactly the last checkpoint, as the
/// reference <c>capnp</c> tool reads it. Also kills at random moments during Complete of a file over 1 GiB, and
/// completes on a file system too full for the tail move.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class CompleteCrashTests
{
    private const int Records = 60_000, Every = 10_000;
    private readonly ITestOutputHelper _output;

    public CompleteCrashTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string, string, bool, bool, bool, bool> FileSystems => new()
    {
        // ext4 (the temp directory): the list keeps sparse holes (no copy while streaming) and Complete
        // closes them with collapse-range (told to: the tail is small enough to be copied otherwise).
        { "ext4", "collapse announced", false, false, true, false },
        // ext4 as it is: Complete copies the small tail down into the hole below it (no journal) instead of collapsing.
        { "ext4", "tail copied into the gap", false, false, false, false },
        // tmpfs has no collapse-range: the gap doubles with journaled moves while streaming, and Complete
        // moves the tail down, journaled chunk by chunk.
        { "tmpfs", "copy chunk 1", true, false, false, false },
        // A message appended after one the file holds: the first must stay byte for byte at every step.
        { "ext4", "collapse done", false, true, true, false },
        // ext4 with 256 KiB rooms: the list fills its room several times while streaming, and each time
        // insert-range opens more before the lanes after it (announced, one system call, no byte copied); the
        // children fill theirs too, which grows downwards by an insert at the list segment's start.
        { "ext4", "insert done", false, false, false, true },
    };

    [Theory]
    [MemberData(nameof(FileSystems))]
    public void A_kill_at_every_step_leaves_the_completed_message_or_exactly_the_last_checkpoint(string fileSystem, string expectedStep, bool movesWhileStreaming, bool append, bool collapse, bool smallRooms)
    {
        using var tmpfs = fileSystem == "tmpfs" ? new TmpfsMount("256m") : null;
        using var temp = new TempDir();
        string dir = tmpfs?.Path ?? temp.Path;
        // The message an appending writer goes after: a small one of the same shape, followed by slack that
        // is not zeros (the appender must clear it, as the arena hands out zeroed words).
        byte[] earlier = [], slack = [];
        if (append)
        {
            string first = Path.Combine(dir, "first.bin");
            MappedMessageBuilderTests.BuildRecords(first, 777, GrowthMode.Fault);
            earlier = File.ReadAllBytes(first);
            slack = Enumerable.Repeat((byte)0xAB, 8192).ToArray();
        }

        // A run that is never killed lists the steps, and proves the path under test is the one taken.
        string stepsPath = Path.Combine(dir, "steps.bin");
        File.WriteAllBytes(stepsPath, [.. earlier, .. slack]);
        var full = RunChild(stepsPath, killAt: long.MaxValue, payload: 0, append, collapse: collapse, smallRooms: smallRooms);
        Assert.True(full.ExitCode == 0, full.Error);
        var steps = full.Steps;
        Assert.Contains(steps, s => s.StartsWith(expectedStep));
        var streaming = steps.TakeWhile(s => s != "complete: everything checkpointed").ToList();
        if (movesWhileStreaming) Assert.Contains(streaming, s => s.StartsWith("copy announced"));
        else Assert.DoesNotContain(streaming, s => s.StartsWith("copy announced"));
        if (smallRooms) Assert.True(streaming.Count(s => s == "insert done") >= 3, "the list's room was widened by fewer than three inserts");
        // The records' children (about 3 MB) outgrow the 256 KiB child room: it grows downwards, at the list segment's start.
        if (smallRooms) Assert.True(streaming.Count(s => s == "child room insert done") >= 3, "the child room grew fewer than three times");
        Assert.Equal("complete: header published", steps[^1]);
        _output.WriteLine($"{fileSystem}: {steps.Count} steps: {string.Join(", ", steps.Distinct().Take(12))} …");

        for (int k = 1; k <= steps.Count; k++)
        {
            string path = Path.Combine(dir, $"kill{k}.bin");
            File.WriteAllBytes(path, [.. earlier, .. slack]);
            var run = RunChild(path, killAt: k, payload: 0, append, collapse: collapse, smallRooms: smallRooms);
            Assert.True(run.ExitCode != 0, $"step {k}: the child was not killed");
            Assert.Equal(k, run.Steps.Count);
            bool inComplete = run.Steps.Contains("complete: everything checkpointed");
            long expected = inComplete ? Records : run.LastCheckpoint;
            if (expected == 0 && !append)
            {
                // Killed before the first checkpoint (with small rooms the child room grows that early): there is
                // nothing to restore, and repair says so rather than inventing a message.
                Assert.Throws<MessageRepairException>(() => MessageRepair.Repair(path));
                File.Delete(path);
                continue;
            }

            var repaired = MessageRepair.Repair(path);
            Assert.Equal(expected, repaired.RecordCount);
            Assert.Equal(repaired.BytesAfter, new FileInfo(path).Length);
            var bytes = File.ReadAllBytes(path);
            Assert.True(bytes.AsSpan(0, earlier.Length).SequenceEqual(earlier), $"step {k}: the earlier message changed");
            AssertReadByCapnp(bytes[earlier.Length..], expected, $"step {k} ({run.Steps[^1]})");
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // each next message under a schema of its own (the records' shape changed), its root set again
    public void A_kill_at_every_step_of_continuing_in_the_next_message_keeps_the_completed_messages_byte_for_byte(bool schemaChange)
    {
        using var temp = new TempDir();
        // 25,000 records (3-word elements) per message: 60,000 records make three messages.
        const int PerMessage = 25_000;
        long maxListBytes = PerMessage * 3 * 8;
        string fullPath = temp.File("steps.bin");
        var full = RunChild(fullPath, killAt: long.MaxValue, payload: 0, maxListBytes: maxListBytes, schemaChange: schemaChange);
        Assert.True(full.ExitCode == 0, full.Error);
        Assert.Equal([PerMessage, 2 * PerMessage], full.Continued);
        Assert.Contains("continue: next message opened", full.Steps);
        Assert.Contains(schemaChange ? "continue: root set" : "continue: root copied", full.Steps);
        if (schemaChange)
            for (int m = 0; m < 3; m++) Assert.Equal(m + 1, EmbeddedSchema.Read(fullPath, m)!.CodeGeneratorRequest[0]); // each carries its own
        var completedEnds = MessageFileInfo.ReadAll(fullPath).Select(m => m.Offset + m.MessageBytes).ToArray();
        Assert.Equal(3, completedEnds.Length);
        var fullBytes = File.ReadAllBytes(fullPath);
        AssertStreamReadByCapnp(fullBytes, [PerMessage, PerMessage, Records - 2 * PerMessage], "unkilled");
        _output.WriteLine($"{full.Steps.Count} steps: {string.Join(", ", full.Steps)}");

        // Under a new schema only the continuation's own steps differ (opening, setting the root, the first
        // checkpoint); the completion steps are the ones the run without a change kills at, so it is not repeated.
        var kills = Enumerable.Range(1, full.Steps.Count).Where(k => !schemaChange || full.Steps[k - 1].StartsWith("continue:")).ToList();
        Assert.Equal(schemaChange ? 6 : full.Steps.Count, kills.Count);
        foreach (int k in kills)
        {
            string path = temp.File($"kill{k}.bin");
            var run = RunChild(path, killAt: k, payload: 0, maxListBytes: maxListBytes, schemaChange: schemaChange);
            Assert.True(run.ExitCode != 0, $"step {k}: the child was not killed");
            // Each Complete begins by checkpointing every record; one that published its header is final.
            int completing = run.Steps.Count(s => s == "complete: everything checkpointed");
            int completed = run.Steps.Count(s => s == "complete: header published");
            long expected = completing == 3 ? Records : Math.Max(run.LastCheckpoint, completing * (long)PerMessage);

            MessageRepair.Repair(path);
            var bytes = File.ReadAllBytes(path);
            if (completed > 0)
            {
                int end = (int)completedEnds[completed - 1];
                Assert.True(bytes.AsSpan(0, end).SequenceEqual(fullBytes.AsSpan(0, end)), $"step {k} ({run.Steps[^1]}): a completed message changed");
            }
            // A next message exists once its first checkpoint is published (empty at first); the earlier ones are full.
            int messages = 1 + run.Steps.Count(s => s == "continue: next message checkpointed");
            var counts = Enumerable.Range(0, messages).Select(m => m < messages - 1 ? PerMessage : expected - (messages - 1L) * PerMessage).ToList();
            AssertStreamReadByCapnp(bytes, counts, $"step {k} ({run.Steps[^1]})");
            File.Delete(path);
        }
    }

    [Fact]
    public void Kills_at_random_moments_during_Complete_of_a_file_over_1_GiB_leave_the_message_or_its_checkpoint()
    {
        using var temp = new TempDir();
        var random = new Random(20261201);
        int killedDuring = 0;
        for (int round = 0; round < 3; round++)
        {
            string path = temp.File($"big{round}.bin");
            // 1,100 records with 1 MiB payloads: about 1.1 GiB, checkpointed every 100.
            var info = ChildWriter.StartInfo(path, 1_100, 100, "Fault", 8L << 30, payload: 1 << 20);
            info.Environment["CAPMAP_TEST_KILL_AT_STEP"] = "0"; // print every step, kill at none
            using var child = Process.Start(info)!;
            string? line;
            while ((line = child.StandardOutput.ReadLine()) is not null && !line.EndsWith("complete: everything checkpointed")) { }
            Assert.NotNull(line);
            Thread.Sleep(random.Next(0, 400));
            child.Kill();
            child.WaitForExit();
            if (child.ExitCode != 0) killedDuring++;

            var repaired = MessageRepair.Repair(path);
            Assert.Equal(1_100, repaired.RecordCount); // Complete begins by checkpointing every record
            var (code, output) = Tools.Run("/bin/bash", "-c", $"capnp convert binary:packed < '{path}' > /dev/null");
            Assert.True(code == 0, $"round {round}: capnp rejected the repaired file: {output}");
            MappedMessageBuilderTests.AssertRecords(path, 1_100);
            File.Delete(path);
        }
        _output.WriteLine($"{killedDuring} of 3 kills landed before Complete finished");
    }

    [Fact]
    public void Complete_on_a_file_system_that_is_full_when_the_gap_closes_pads_the_gap_and_loses_nothing()
    {
        using var tmpfs = new TmpfsMount("64m");
        string path = tmpfs.File("full.bin");
        // Small chunks, so the gap between the list and its children stays a hole (no blocks) in Fault mode.
        var options = new MappedMessageOptions { ReserveBytes = 1L << 30, Growth = GrowthMode.Fault, ChunkBytes = 64 << 10 };
        var builder = MappedMessageBuilder.Create(path, options);
        // Few enough records that the list never reaches its gap: no gap move ever allocated blocks there.
        const int Few = 20_000;
        MappedMessageBuilderTests.WriteRecords(builder, Few, written => written % Every == 0);
        // Now take every free block: moving the tail down into the hole would need blocks there is no room for.
        string filler = tmpfs.File("filler.bin");
        var (_, fillOutput) = Tools.Run("/bin/bash", "-c", $"cat /dev/zero > '{filler}'; true");
        Assert.True(new DriveInfo(tmpfs.Path).AvailableFreeSpace < 64 << 10, "the tmpfs is not full: " + fillOutput);

        var summary = builder.Complete(flush: false);
        Assert.Equal(GapClosing.Padded, summary.Gaps);
        Assert.Equal(Few, summary.RecordCount);
        AssertReadByCapnp(path, Few, "full tmpfs");
        MappedMessageBuilderTests.AssertRecords(path, Few);
    }

    private sealed record ChildRun(int ExitCode, List<string> Steps, long LastCheckpoint, long CompleteBytes, string Output, string Error)
    {
        /// <summary>Records written when the child went on in a next message, one entry per continuation.</summary>
        public List<long> Continued { get; init; } = [];
    }

    private static ChildRun RunChild(string path, long killAt, int payload, bool append = false, long? maxListBytes = null, bool collapse = false, bool smallRooms = false, bool schemaChange = false)
    {
        // On ext4 the list's sparse holes (60 MiB) are declared as padding by a checkpointed file, and capnp reads it whole.
        var info = ChildWriter.StartInfo(path, Records, Every, "Fault", 1L << 30, payload);
        if (smallRooms) info.Environment["CAPMAP_TEST_SPARSE_ROOM_BYTES"] = (256 << 10).ToString();
        if (append) info.Environment["CAPMAP_TEST_APPEND"] = "1";
        if (collapse) info.Environment["CAPMAP_TEST_COPY_TAIL_LIMIT"] = "0";
        if (maxListBytes is { } max) info.Environment["CAPMAP_TEST_MAX_LIST_BYTES"] = max.ToString();
        if (schemaChange) info.Environment["CAPMAP_TEST_SCHEMA_CHANGE"] = "1";
        info.Environment["CAPMAP_TEST_KILL_AT_STEP"] = killAt == long.MaxValue ? "0" : killAt.ToString();
        var (code, output, error) = ChildWriter.Run(info, TimeSpan.FromMinutes(2));
        var steps = new List<string>();
        var continued = new List<long>();
        long checkpoint = 0, completeBytes = 0;
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 3);
            if (parts[0] == "step") steps.Add(parts[2]);
            else if (parts[0] == "checkpoint") checkpoint = long.Parse(parts[1]);
            else if (parts[0] == "complete") completeBytes = long.Parse(parts[1]);
            else if (parts[0] == "continued") continued.Add(long.Parse(parts[1]));
        }
        return new ChildRun(code, steps, checkpoint, completeBytes, output, error) { Continued = continued };
    }

    /// <summary>The reference reader decodes a stream of messages: each has the label and the given number of records, numbered on from the last.</summary>
    private static void AssertStreamReadByCapnp(byte[] stream, IReadOnlyList<long> counts, string context)
    {
        string json;
        try
        {
            json = CapnpTool.BinaryToJson(stream, "Root", "records.capnp", shortJson: true);
        }
        catch (CapnpToolException e)
        {
            throw new Xunit.Sdk.XunitException($"{context}: capnp rejected the repaired file: {e.Message}");
        }
        var messages = json.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(messages.Length == counts.Count, $"{context}: capnp reads {messages.Length} messages, expected {counts.Count}");
        long id = 0;
        for (int m = 0; m < messages.Length; m++)
        {
            using var doc = JsonDocument.Parse(messages[m]);
            var root = doc.RootElement;
            Assert.Equal("batch", root.GetProperty("label").GetString());
            int n = root.TryGetProperty("records", out var list) ? list.GetArrayLength() : 0;
            Assert.True(n == counts[m], $"{context}: message {m} holds {n} records, expected {counts[m]}");
            for (int i = 0; i < n; i++, id++)
                if (i % 1000 == 0) Assert.Equal(id.ToString(), list[i].GetProperty("id").ToString());
        }
    }

    /// <summary>The reference reader decodes the file, and it holds exactly records 0 … count−1.</summary>
    private static void AssertReadByCapnp(string path, long count, string context) => AssertReadByCapnp(File.ReadAllBytes(path), count, context);

    private static void AssertReadByCapnp(byte[] message, long count, string context)
    {
        string json;
        try
        {
            json = CapnpTool.BinaryToJson(message, "Root", "records.capnp", shortJson: true);
        }
        catch (CapnpToolException e)
        {
            throw new Xunit.Sdk.XunitException($"{context}: capnp rejected the repaired file: {e.Message}");
        }
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("batch", root.GetProperty("label").GetString());
        int n = root.TryGetProperty("records", out var list) ? list.GetArrayLength() : 0;
        Assert.True(n == count, $"{context}: capnp reads {n} records, expected {count}");
        for (int i = 0; i < n; i += Math.Max(1, n / 50))
        {
            var record = list[i];
            Assert.Equal(i.ToString(), record.GetProperty("id").ToString());
            Assert.Equal("record " + i, record.GetProperty("name").GetString());
        }
    }
}
