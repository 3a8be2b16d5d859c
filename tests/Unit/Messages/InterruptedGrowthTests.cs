using CapMap.Mapping;
using CapMap.Tests.Mapping;
using Xunit;

namespace CapMap.Tests.Messages;

/// <summary>
/// Growth on a file system whose calls a signal can interrupt (FUSE, NFS): fallocate, ftruncate and
/// MADV_POPULATE_WRITE fail with EINTR and must simply be made again. The child writer runs with
/// <c>Mapping/Native/interrupt_shim.c</c> preloaded, which interrupts every such call on the message file three
/// times in a row before letting it through.
/// </summary>
public sealed class InterruptedGrowthTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("Fault")]
    [InlineData("Eager")]
    public void A_message_whose_growth_calls_are_interrupted_again_and_again_completes_with_every_record(string growth)
    {
        const int Records = 60_000;
        string path = _dir.File("interrupted.bin");
        var info = ChildWriter.StartInfo(path, Records, 10_000, growth, 1L << 30, payload: 100);
        info.Environment["LD_PRELOAD"] = Shim.Value;
        info.Environment["CAPMAP_SHIM_DIR"] = _dir.Path;
        info.Environment["CAPMAP_SHIM_INTERRUPTS"] = "3";
        var run = ChildWriter.Run(info, TimeSpan.FromMinutes(2));

        // No interruption is a failure: the message completed and holds every record.
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Output} {run.Error}");
        Assert.StartsWith("complete", run.Output.Split('\n').Last(l => l.Length > 0));
        MappedMessageBuilderTests.AssertRecords(path, Records);
        // And the injection took place: every kind of call was interrupted, many times over.
        var counts = System.Text.RegularExpressions.Regex.Match(run.Error, @"interrupted fallocate (\d+) ftruncate (\d+) madvise (\d+)");
        Assert.True(counts.Success, $"the shim did not report (was it preloaded?): {run.Error}");
        Assert.True(long.Parse(counts.Groups[1].Value) >= 3 && long.Parse(counts.Groups[2].Value) >= 3 && long.Parse(counts.Groups[3].Value) >= 3,
            $"too few interruptions: {counts.Value}");
    }

    /// <summary>The shim, compiled once per test process.</summary>
    private static readonly Lazy<string> Shim = new(() =>
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Mapping", "Native", "interrupt_shim.c");
        string output = Path.Combine(Path.GetTempPath(), $"capmap-interrupt-shim-{Environment.ProcessId}.so");
        var (code, text) = Tools.Run("/usr/bin/env", "cc", "-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-o", output, source, "-ldl");
        Assert.True(code == 0, $"cc interrupt_shim.c failed: {text}");
        return output;
    });
}
