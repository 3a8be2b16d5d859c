using System.Diagnostics;
using CapMap.IO;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Messages;

/// <summary>Writers that are killed, capped or caged in separate processes: what survives.</summary>
public sealed class CrashAndLimitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Kill_minus_nine_at_random_points_then_repair_restores_exactly_the_last_checkpoint()
    {
        const int every = 2000;
        var random = new Random(20261126);
        for (int round = 0; round < 20; round++)
        {
            string path = Path.Combine(_dir, $"kill{round}.bin");
            int target = random.Next(1, 12) * every;
            using var child = Process.Start(ChildWriter.StartInfo(path, 30_000_000, every, round % 2 == 0 ? "Fault" : "Eager", 8L << 30))!;
            long seen = 0;
            while (seen < target)
            {
                string? line = child.StandardOutput.ReadLine();
                if (line is null) Assert.Fail("The child writer ended early: " + child.StandardError.ReadToEnd());
                if (line.StartsWith("checkpoint ")) seen = long.Parse(line["checkpoint ".Length..]);
            }
            child.Kill(); // SIGKILL
            child.WaitForExit();

            var result = MessageRepair.Repair(path);
            Assert.Equal(MessageFileState.Checkpoint, result.State);
            Assert.True(result.RecordCount >= seen && result.RecordCount % every == 0, $"round {round}: repaired {result.RecordCount}, saw {seen}");
            MappedMessageBuilderTests.AssertRecords(path, (int)result.RecordCount);
            Assert.Equal(result.BytesAfter, new FileInfo(path).Length);
            File.Delete(path);
        }
    }

    [Fact]
    public void File_size_limit_in_a_child_fails_cleanly_and_keeps_the_checkpoint()
    {
        string path = Path.Combine(_dir, "fsize.bin");
        // ulimit -f counts 1 KiB blocks: 8 MiB.
        var run = ChildWriter.Run(ChildWriter.StartInfo(path, 1_000_000, 1000, "Fault", 1L << 30, shellPrefix: "ulimit -f 8192"), TimeSpan.FromMinutes(2));
        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("failed FileTooLarge", run.Output.Split('\n').Last(l => l.Length > 0));
        var info = MessageFileInfo.Read(path);
        Assert.Equal(MessageFileState.Checkpoint, info.State);
        Assert.True(info.RecordCount >= 1000);
        MappedMessageBuilderTests.AssertRecords(path, (int)info.RecordCount);
    }

    [Fact]
    public void A_message_larger_than_a_256_MiB_memory_cgroup_builds_and_verifies()
    {
        string cgroup = $"/sys/fs/cgroup/memory/capmap-test-{Environment.ProcessId}";
        Directory.CreateDirectory(cgroup);
        try
        {
            File.WriteAllText(Path.Combine(cgroup, "memory.limit_in_bytes"), (256L << 20).ToString());
            string path = Path.Combine(_dir, "big.bin");
            // 700k records with a 1 KiB blob each: about 740 MB, nearly three times the cap.
            var run = ChildWriter.Run(ChildWriter.StartInfo(path, 700_000, 0, "Fault", 4L << 30, payload: 1024,
                shellPrefix: $"echo $$ > {cgroup}/cgroup.procs"), TimeSpan.FromMinutes(5));
            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            long peak = long.Parse(File.ReadAllText(Path.Combine(cgroup, "memory.max_usage_in_bytes")).Trim());
            Assert.True(peak <= 256L << 20, $"cgroup peak {peak}");
            Assert.True(new FileInfo(path).Length > 512L << 20);
            using var reader = MessageFile.Open(path, ReaderOptions.Unlimited);
            var records = reader.GetRoot().ReadList(1);
            Assert.Equal(700_000, records.Count);
            Assert.Equal(699_999, records.GetStruct(699_999).ReadInt64(0));
            Assert.Equal(1024, records.GetStruct(12_345).ReadList(1).GetData(2)!.Length);
        }
        finally
        {
            Directory.Delete(cgroup);
        }
    }
}
