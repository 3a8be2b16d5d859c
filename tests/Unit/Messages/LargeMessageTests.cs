using System.Diagnostics;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Wire;
using Xunit;
using Xunit.Abstractions;

namespace CapMap.Tests.Messages;

/// <summary>A message past the 4 GiB segment limit: spills into further segments, verified by the reference tool.</summary>
[Trait("Category", "Large")]
public sealed class LargeMessageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-large-").FullName;
    private readonly ITestOutputHelper _output;

    public LargeMessageTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_5_GiB_multi_segment_message_is_read_by_capnp_and_by_our_reader()
    {
        const int records = 650;
        const int blobBytes = 8 << 20; // 650 × 8 MiB ≈ 5.08 GiB
        string path = Path.Combine(_dir, "five.bin");
        var blob = new byte[blobBytes];
        new Random(5).NextBytes(blob);

        var watch = Stopwatch.StartNew();
        MessageSummary summary;
        using (var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 16L << 30 }))
        {
            var root = builder.InitRoot(0, 2);
            root.SetText(0, "five gigabytes");
            var list = builder.OpenStructList(root, 1, 1, 2);
            for (int i = 0; i < records; i++)
            {
                var record = list.Append();
                record.WriteInt64(0, i);
                blob[0] = (byte)i;
                record.SetData(1, blob);
            }
            summary = builder.Complete(flush: false);
        }
        _output.WriteLine($"built {summary.Bytes / (double)(1 << 30):F2} GiB in {watch.Elapsed.TotalSeconds:F1} s, finish {summary.FinishTime.TotalMilliseconds:F1} ms, faults {summary.FaultCount}, segments [{string.Join(", ", summary.SegmentWords)}], gaps {summary.Gaps}");

        Assert.True(summary.Bytes > 5L << 30);
        Assert.True(summary.SegmentWords.Count >= 3, "a message over 4 GiB needs more than one segment for its data");
        Assert.Equal(new FileInfo(path).Length, summary.Bytes);

        // The reference implementation walks every pointer when it re-encodes the message.
        watch.Restart();
        var psi = new ProcessStartInfo("bash", new[] { "-c", $"capnp convert binary:packed < '{path}' > /dev/null" }) { RedirectStandardError = true };
        using (var capnp = Process.Start(psi)!)
        {
            string error = capnp.StandardError.ReadToEnd();
            capnp.WaitForExit();
            Assert.True(capnp.ExitCode == 0, "capnp rejected the message: " + error);
        }
        _output.WriteLine($"capnp convert: {watch.Elapsed.TotalSeconds:F1} s");

        using var reader = MessageReader.FromFile(path, ReaderOptions.Unlimited);
        var list2 = reader.GetRoot().ReadList(1);
        Assert.Equal("five gigabytes", reader.GetRoot().ReadText(0));
        Assert.Equal(records, list2.Count);
        for (int i = 0; i < records; i++)
        {
            var record = list2.GetStruct(i);
            Assert.Equal(i, record.ReadInt64(0));
            var data = record.ReadDataSpan(1);
            Assert.Equal(blobBytes, data.Length);
            Assert.Equal((byte)i, data[0]);
            Assert.Equal(blob[^1], data[^1]);
        }
    }
}
