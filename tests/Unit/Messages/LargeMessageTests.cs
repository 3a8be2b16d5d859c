using System.Diagnostics;
using CapMap.IO;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Wire;
using Xunit;
using Xunit.Abstractions;

namespace CapMap.Tests.Messages;

/// <summary>
/// Past the 4 GiB segment limit: a message spills into further segments, and a list goes on in the next message
/// of the file; verified by readers we did not write (capnp, and libcapnp's FlatArrayMessageReader).
/// </summary>
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

        using var reader = MessageFile.Open(path, ReaderOptions.Unlimited);
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

    [Fact]
    public void A_list_of_more_than_4_GiB_goes_on_in_the_next_message_and_libcapnp_counts_every_record()
    {
        // 48-byte elements (6 data words): 100 M records are 4.8 GB of list, more than one segment holds.
        const long records = 100_000_000;
        const int dataWords = 6;
        string path = Path.Combine(_dir, "hundred-million.bin");
        var watch = Stopwatch.StartNew();
        var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 64L << 30 });
        MessageSummary summary;
        var perMessage = new List<long>();
        try
        {
            var root = builder.InitRoot(1, 2);
            root.SetText(0, "hundred million");
            root.WriteUInt32(0, 42);
            var list = builder.OpenStructList(root, 1, dataWords, 0);
            for (long i = 0; i < records; i++)
            {
                if (list.IsFull)
                {
                    perMessage.Add(list.Count);
                    var next = builder.ContinueInNextMessage(flush: false);
                    builder = next.Builder;
                    list = next.List!;
                }
                var record = list.Append();
                record.WriteInt64(0, i);
                record.WriteInt64(dataWords - 1, ~i);
            }
            perMessage.Add(list.Count);
            summary = builder.Complete(flush: false);
        }
        finally
        {
            builder.Dispose();
        }
        long fileBytes = new FileInfo(path).Length;
        _output.WriteLine($"built {fileBytes / 1e9:F2} GB in {summary.Messages} messages [{string.Join(", ", perMessage)}] in {watch.Elapsed.TotalSeconds:F1} s");

        Assert.True(records * dataWords * 8 > 4L << 30, "the list must not fit one segment");
        Assert.True(summary.Messages >= 2);
        Assert.Equal(records, summary.RecordCount);
        Assert.Equal(records, perMessage.Sum());
        var infos = MessageFileInfo.ReadAll(path);
        Assert.Equal(summary.Messages, infos.Count);
        Assert.All(infos, info => Assert.Equal(MessageFileState.Complete, info.State));
        Assert.Equal(perMessage, infos.Select(info => info.RecordCount));

        watch.Restart();
        string reader = CompileRecordCounter();
        var (code, output) = CapMap.Tests.Mapping.Tools.Run(reader, path, "1", (dataWords - 1).ToString());
        _output.WriteLine($"libcapnp reader ({watch.Elapsed.TotalSeconds:F1} s with its compile):\n{output}");
        Assert.True(code == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"total {summary.Messages} {records} bad 0", lines[^1]);
        var messageLines = lines.Where(line => line.StartsWith("message ")).ToArray();
        Assert.Equal(summary.Messages, messageLines.Length);
        for (int m = 0; m < messageLines.Length; m++)
        {
            Assert.Contains($" records {perMessage[m]} ", messageLines[m]);
            Assert.EndsWith(" label hundred million", messageLines[m]);
        }
    }

    /// <summary>Builds tests/Unit/Messages/Native/count_records.c++ against libcapnp (Debian libcapnp-dev, installed by .ci/run).</summary>
    private string CompileRecordCounter()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Messages", "Native", "count_records.c++");
        string output = Path.Combine(_dir, "count_records");
        var (code, text) = CapMap.Tests.Mapping.Tools.Run("/usr/bin/env", "g++", "-O2", "-std=c++17", "-o", output, source, "-lcapnp", "-lkj");
        Assert.True(code == 0, $"g++ count_records.c++ failed: {text}");
        return output;
    }
}
