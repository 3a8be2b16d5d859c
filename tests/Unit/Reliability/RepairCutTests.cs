using System.Diagnostics;
using System.Security.Cryptography;
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
/// Issue 21, item 9: Repair and Resize cut a checkpointed file down to its data. A writer killed (or stopped) mid-stream
/// on ext4 or XFS leaves its data plus up to 60 MiB of holes (the sparse list's unused child room and element room,
/// declared as padding); repair restores the checkpoint and then closes those holes the way Complete does, each step
/// announced, so a kill at any step of the repair leaves a file that repair restores to the same records.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RepairCutTests
{
    private const int Records = 3;

    /// <summary>A copy closes a gap to the byte; a collapse removes whole blocks and leaves up to two (of at most 64 KiB) per gap, two gaps here.</summary>
    private const long CollapsePadding = 2 * 2 * (64L << 10);

    private readonly ITestOutputHelper _output;

    public RepairCutTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("ext4")]
    [InlineData("xfs")]
    public void Repair_cuts_a_killed_writers_file_from_its_holes_down_to_the_size_Complete_gives(string fileSystem)
    {
        using var temp = new TempDir();
        using var xfs = fileSystem == "xfs" ? new XfsMount() : null;
        string dir = xfs?.Path ?? temp.Path;
        long completed = CompletedBytes(dir, Records);
        string path = KilledWriterFile(dir, "killed.bin", Records);
        long killed = new FileInfo(path).Length;
        Assert.True(killed > 40L << 20, $"{fileSystem}: the killed writer's file is {killed:N0} bytes; the holes of its list are missing");

        var repaired = MessageRepair.Repair(path);
        _output.WriteLine($"{fileSystem}: killed {killed:N0} bytes, repaired {repaired.BytesAfter:N0} ({repaired.Gaps}), completed {completed:N0}");
        Assert.Equal(killed, repaired.BytesBefore);
        Assert.Equal(new FileInfo(path).Length, repaired.BytesAfter);
        Assert.Equal(MessageFileState.Checkpoint, repaired.State);
        Assert.Equal(Records, repaired.RecordCount);
        Assert.Equal(GapClosing.Copied, repaired.Gaps); // three records: every tail fits in the hole below it
        // The same records as a completed message, in as many bytes: the table is the only difference.
        Assert.Equal(completed, repaired.BytesAfter);
        AssertRepairedRecords(path, Records, fileSystem);
    }

    [Fact]
    public void Repairing_a_cut_file_again_changes_no_byte()
    {
        using var temp = new TempDir();
        string path = KilledWriterFile(temp.Path, "again.bin", Records);
        MessageRepair.Repair(path);
        byte[] hash = SHA256.HashData(File.ReadAllBytes(path));
        var again = MessageRepair.Repair(path);
        Assert.Equal(again.BytesBefore, again.BytesAfter);
        Assert.Equal(GapClosing.None, again.Gaps);
        Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(path)));
    }

    [Fact]
    public void Resize_cuts_a_killed_writers_file_down_to_its_data_and_keeps_the_completed_message_before_it()
    {
        using var temp = new TempDir();
        string path = temp.File("resize.bin");
        MappedMessageBuilderTests.BuildRecords(path, 777, GrowthMode.Fault);
        byte[] earlier = File.ReadAllBytes(path);
        KillWriter(path, Records, append: true);
        long killed = new FileInfo(path).Length;
        Assert.True(killed > earlier.Length + (40L << 20), $"the killed writer's file is {killed:N0} bytes; the holes of its list are missing");

        long removed = MessageFileSlack.Trim(path);
        long after = new FileInfo(path).Length;
        _output.WriteLine($"resize: killed {killed:N0} bytes, cut {removed:N0} to {after:N0}");
        Assert.Equal(killed - after, removed);
        Assert.True(after < earlier.Length + (64 << 10), $"the resized file is {after:N0} bytes for a {earlier.Length:N0}-byte message and {Records} records");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, earlier.Length).SequenceEqual(earlier), "the completed message changed");
        var messages = MessageFileInfo.ReadAll(path);
        Assert.Equal([777L, Records], messages.Select(m => m.RecordCount));
        Assert.Equal(MessageFileState.Checkpoint, messages[1].State);
        var json = CapnpTool.BinaryToJson(bytes, "Root", "records.capnp", shortJson: true).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, json.Length);
        Assert.Contains("\"name\":\"record 2\"", json[1]);
    }

    public static TheoryData<string, string, string> Closings => new()
    {
        // ext4 as it is: the small tails are copied down, each into the hole below it (no journal).
        { "copy", "tail copied into the gap", "tail copy published" },
        // Told to collapse (no tail is small enough to copy): collapse-range removes the holes' whole blocks.
        { "collapse", "collapse done", "collapse announced" },
    };

    [Theory]
    [MemberData(nameof(Closings))]
    public void A_kill_at_every_step_of_cutting_the_holes_leaves_a_file_repair_restores_to_the_same_records(string closing, string expectedStep, string otherStep)
    {
        using var temp = new TempDir();
        string killed = KilledWriterFile(temp.Path, "killed.bin", Records);
        bool collapse = closing == "collapse";

        string full = temp.File("full.bin");
        SparseCopy(killed, full);
        var unkilled = RunRepairChild(full, killAt: 0, collapse);
        Assert.True(unkilled.ExitCode == 0, unkilled.Error);
        long cut = new FileInfo(full).Length;
        var steps = unkilled.Steps;
        _output.WriteLine($"{closing}: {steps.Count} steps, {new FileInfo(killed).Length:N0} → {cut:N0} bytes: {string.Join(", ", steps)}");
        Assert.Contains(expectedStep, steps);
        Assert.Contains(otherStep, steps);
        Assert.Equal(["repair: checkpoint restored", "repair: segments rebased"], steps.Take(2));
        // A collapse leaves the file exactly as long as the message; copies leave the old tail for the cut.
        Assert.Equal(collapse ? "collapse done" : "repair: file cut", steps[^1]);
        long completed = CompletedBytes(temp.Path, Records);
        long bound = completed + (collapse ? CollapsePadding : 0);
        Assert.True(cut <= bound, $"{closing}: the repaired file is {cut:N0} bytes; Complete makes {completed:N0} of the same records");

        for (int k = 1; k <= steps.Count; k++)
        {
            string path = temp.File($"kill{k}.bin");
            SparseCopy(killed, path);
            var run = RunRepairChild(path, killAt: k, collapse);
            Assert.True(run.ExitCode != 0, $"step {k}: the repair was not killed");
            Assert.Equal(steps.Take(k), run.Steps);

            var repaired = MessageRepair.Repair(path, collapse ? 0 : MappedMessageBuilder.DefaultCopyTailLimitBytes);
            Assert.Equal(Records, repaired.RecordCount);
            // At most as large as the repair that was not killed: after a collapse, repairing again may also copy
            // down a small tail that the collapse left behind its padding (a copy closes that gap to the byte).
            Assert.True(repaired.BytesAfter <= cut, $"step {k} ({steps[k - 1]}): repaired to {repaired.BytesAfter:N0} bytes, more than {cut:N0}");
            AssertRepairedRecords(path, Records, $"step {k} ({steps[k - 1]})");
            File.Delete(path);
        }
    }

    /// <summary>The file a writer killed with SIGKILL mid-stream leaves: <paramref name="records"/> records, all checkpointed, its list's holes ahead.</summary>
    private static string KilledWriterFile(string dir, string name, int records)
    {
        string path = Path.Combine(dir, name);
        KillWriter(path, records, append: false);
        return path;
    }

    private static void KillWriter(string path, int records, bool append)
    {
        var info = ChildWriter.StartInfo(path, records, records, "Fault", 1L << 30);
        info.Environment["CAPMAP_TEST_WAIT_TO_BE_KILLED"] = "1";
        if (append) info.Environment["CAPMAP_TEST_APPEND"] = "1";
        using var child = Process.Start(info)!;
        // Read on its own, so a child that writes much to stderr never blocks on a full pipe.
        var error = child.StandardError.ReadToEndAsync();
        var waiting = Task.Run(() =>
        {
            string? line;
            while ((line = child.StandardOutput.ReadLine()) is not null && line != "waiting") { }
            return line == "waiting";
        });
        bool reached = waiting.Wait(TimeSpan.FromMinutes(1)) && waiting.Result;
        child.Kill(); // SIGKILL
        child.WaitForExit();
        Assert.True(reached, "the child writer did not reach the point where it waits to be killed: " + error.Result);
    }

    /// <summary>What Complete makes of the same records: the size the repaired file should have.</summary>
    private static long CompletedBytes(string dir, int records)
    {
        string path = Path.Combine(dir, "completed.bin");
        var summary = MappedMessageBuilderTests.BuildRecords(path, records, GrowthMode.Fault, checkpointEvery: records);
        File.Delete(path);
        return summary.Bytes;
    }

    /// <summary>A copy that keeps the holes (a plain copy would write the 60 MiB of zeros).</summary>
    private static void SparseCopy(string from, string to)
    {
        var (code, output) = Tools.Run("/bin/cp", "--sparse=always", from, to);
        Assert.True(code == 0, output);
    }

    private sealed record RepairRun(int ExitCode, List<string> Steps, string Error);

    private static RepairRun RunRepairChild(string path, long killAt, bool collapse)
    {
        var info = ChildWriter.StartInfo(path, 0, 0, "Fault");
        info.Environment["CAPMAP_TEST_REPAIR"] = "1";
        if (collapse) info.Environment["CAPMAP_TEST_COPY_TAIL_LIMIT"] = "0";
        info.Environment["CAPMAP_TEST_KILL_AT_STEP"] = killAt.ToString();
        var (code, output, error) = ChildWriter.Run(info, TimeSpan.FromMinutes(1));
        var steps = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 3)).Where(parts => parts[0] == "step").Select(parts => parts[2]).ToList();
        return new RepairRun(code, steps, error);
    }

    /// <summary>The reference reader and CapMap's own read exactly records 0 … count−1 from the repaired file.</summary>
    private static void AssertRepairedRecords(string path, int count, string context)
    {
        string json;
        try
        {
            json = CapnpTool.BinaryToJson(File.ReadAllBytes(path), "Root", "records.capnp", shortJson: true);
        }
        catch (CapnpToolException e)
        {
            throw new Xunit.Sdk.XunitException($"{context}: capnp rejected the repaired file: {e.Message}");
        }
        using var doc = JsonDocument.Parse(json);
        var list = doc.RootElement.GetProperty("records");
        Assert.True(list.GetArrayLength() == count, $"{context}: capnp reads {list.GetArrayLength()} records, expected {count}");
        for (int i = 0; i < count; i++) Assert.Equal("record " + i, list[i].GetProperty("name").GetString());
        MappedMessageBuilderTests.AssertRecords(path, count);
    }
}
