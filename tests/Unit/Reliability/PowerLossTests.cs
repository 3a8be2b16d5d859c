using System.Security.Cryptography;
using System.Text.Json;
using CapMap.IO;
using CapMap.Messages;
using CapMap.Tests.Interop;
using CapMap.Tests.Mapping;
using CapMap.Tests.Messages;
using CapMap.Wire;
using Xunit;
using Xunit.Abstractions;

namespace CapMap.Tests.Reliability;

/// <summary>
/// Power cuts, replayed: the child writer (tests/TestWriter, <c>CAPMAP_TEST_RECORD_FLUSHES</c>) logs the file at
/// every flush it performs (<see cref="PowerCutImages"/> reads the log), and for every flush k the test builds the
/// files a power cut between flush k and flush k+1 can leave: each page holds one of the values it had from the last
/// flush that covered it up to flush k+1 (written back or not), and the length one it had at flush k or k+1. Repair
/// must then refuse only while no checkpoint was flushed (and leave the file as it was), and otherwise restore at
/// least the records of the last checkpoint flushed before the cut, every one of them intact, in a file capnp reads.
/// The machine has no device-mapper (dm-log-writes, dm-flakey), hence this harness of our own.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class PowerLossTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Records per run unless a case says otherwise; a checkpoint after every sixth of them.</summary>
    private const int Records = 60_000, CheckpointsPerRun = 6;
    private const int RandomImagesPerFlush = 2;
    private readonly TempDir _dir = new();
    // Images are repaired on a tmpfs: Repair's own fsyncs would otherwise cost most of the test's time.
    private readonly TmpfsMount _images = new("64m");

    public void Dispose()
    {
        _images.Dispose();
        _dir.Dispose();
    }

    [Theory]
    // Compact lanes: the gap doubles with journaled copies while streaming, and Complete copies the tail down,
    // journaled chunk by chunk (it is larger than the gap).
    [InlineData("compact", 1L << 30, 0, "Moved")]
    // Sparse lanes (the temp directory is ext4): no move while streaming; Complete collapses one gap and copies the
    // tail above the other into it in one piece (no journal). A small reserve keeps the list's hole, and so every
    // image, small.
    [InlineData("sparse", 16L << 20, 0, "Collapsed,Copied")]
    // Sparse lanes with 256 KiB rooms: insert-range widens the list's room several times while streaming.
    [InlineData("sparse", 1L << 30, 256 << 10, "Collapsed,Copied")]
    // Sparse lanes, a small message: every tail fits in the hole below it, so Complete closes both gaps by copies
    // alone, and their layout must reach the disk before the cut removes what the last flushed record names.
    [InlineData("sparse", 16L << 20, 0, "Copied", 3_000)]
    public void After_a_power_cut_at_any_flush_repair_restores_at_least_the_last_flushed_checkpoint(string lanes, long reserve, int sparseRoomBytes, string expectedGaps, int records = Records)
    {
        int every = records / CheckpointsPerRun;
        string path = _dir.File("writer.bin"), log = _dir.File("flushes.log");
        var info = ChildWriter.StartInfo(path, records, every, "Fault", reserve);
        if (sparseRoomBytes > 0) info.Environment["CAPMAP_TEST_SPARSE_ROOM_BYTES"] = sparseRoomBytes.ToString();
        info.Environment["CAPMAP_TEST_RECORD_FLUSHES"] = log;
        info.Environment["CAPMAP_TEST_COMPACT_LANES"] = lanes == "compact" ? "1" : "0";
        // Grown 256 KiB at a time, the file (and so every image) stays about as long as its data.
        info.Environment["CAPMAP_TEST_CHUNK_BYTES"] = (256 << 10).ToString();
        var (code, stdout, stderr) = ChildWriter.Run(info, TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"the child writer failed ({code}): {stderr}");

        var images = PowerCutImages.Read(log);
        var durableRecords = DurableRecordsByFlush(stdout, images.FlushCount);
        string gaps = stdout.Split('\n').Single(l => l.StartsWith("complete ")).Split(' ')[^1].Trim();
        output.WriteLine($"{lanes}: {images.FlushCount} flushes, {images.ChangedPages} page versions logged; gaps closed: {gaps}");
        Assert.Equal(expectedGaps, gaps); // the way of closing the gaps that the images below put to the test
        Assert.True(images.FlushCount >= 2 * CheckpointsPerRun, $"only {images.FlushCount} flushes were logged");

        var random = new Random(20261206);
        var readByCapnp = new HashSet<string>();
        int tried = 0, refused = 0;
        for (int k = 1; k <= images.FlushCount; k++)
        {
            foreach (var (name, image) in images.CutsAfter(k, random, RandomImagesPerFlush))
            {
                tried++;
                string context = $"{lanes}, power cut after flush {k} of {images.FlushCount} ({name}), {durableRecords[k]} records flushed";
                if (!RepairAndCheck(image, durableRecords[k], records, context, readByCapnp)) refused++;
            }
        }
        output.WriteLine($"{tried} power-cut images: {refused} refused (no checkpoint flushed yet), {tried - refused} repaired; {readByCapnp.Count} distinct results read by capnp");
        var final = images.CutsAfter(images.FlushCount, random, 0).Single().Image;
        Assert.True(final.AsSpan().SequenceEqual(File.ReadAllBytes(path)), "the log does not rebuild the file the writer left");
    }

    /// <summary>
    /// Repairs one image. Refusal is allowed only while no checkpoint had been flushed, and must change nothing;
    /// otherwise the message must hold records 0 … n−1 intact, n at least <paramref name="durable"/>, and capnp must
    /// read it (once per distinct result). True when repaired.
    /// </summary>
    private bool RepairAndCheck(byte[] image, long durable, long records, string context, HashSet<string> readByCapnp)
    {
        string path = _images.File("image.bin");
        File.WriteAllBytes(path, image);
        RepairResult result;
        try
        {
            result = MessageRepair.Repair(path);
        }
        catch (MessageRepairException refused)
        {
            Assert.True(durable == 0, $"{context}: refused although a checkpoint was flushed: {refused.Message}");
            Assert.True(image.AsSpan().SequenceEqual(File.ReadAllBytes(path)), $"{context}: refused, but the file changed");
            return false;
        }
        Assert.True(result.RecordCount >= durable && result.RecordCount <= records, $"{context}: repaired to {result.RecordCount} records");
        try
        {
            AssertRecordsIntact(path, result.RecordCount, context);
        }
        catch (CapnpFormatException e)
        {
            throw new Xunit.Sdk.XunitException($"{context}: repaired to {result.RecordCount} records, which do not read as records: {e.Message}");
        }
        var bytes = File.ReadAllBytes(path);
        if (readByCapnp.Add(Convert.ToHexString(SHA256.HashData(bytes))))
        {
            string json;
            try
            {
                json = CapnpTool.BinaryToJson(bytes, "Root", "records.capnp", shortJson: true);
            }
            catch (CapnpToolException e)
            {
                throw new Xunit.Sdk.XunitException($"{context}: repaired, but capnp rejects the file: {e.Message}");
            }
            using var doc = JsonDocument.Parse(json);
            int n = doc.RootElement.TryGetProperty("records", out var list) ? list.GetArrayLength() : 0;
            Assert.True(n == result.RecordCount, $"{context}: capnp reads {n} records, repair reported {result.RecordCount}");
        }
        File.Delete(path);
        return true;
    }

    /// <summary>Every record is the one the writer wrote: a power cut must never bring back zeros or stale bytes as records.</summary>
    private static void AssertRecordsIntact(string path, long count, string context)
    {
        using var reader = MessageFile.Open(path, ReaderOptions.Unlimited);
        var root = reader.GetRoot();
        Assert.True(root.ReadText(0) == "batch", $"{context}: the root's label is lost");
        var records = root.ReadList(1);
        Assert.True(records.Count == count, $"{context}: repaired to {count} records, of which the message holds {records.Count}");
        for (int i = 0; i < records.Count; i++)
        {
            var record = records.GetStruct(i);
            if (record.ReadInt64(0) != i || record.ReadText(0) != "record " + i || record.ReadList(1).GetText(1) != "b" + i)
                throw new Xunit.Sdk.XunitException($"{context}: record {i} of {count} is not intact (id {record.ReadInt64(0)}, name '{record.ReadText(0)}')");
        }
    }

    /// <summary>
    /// For each flush k (1-based), the records of the last checkpoint the child reported finished before it printed
    /// "flush k": a checkpoint returns only after its header's flush, so those records were durable at flush k.
    /// </summary>
    private static long[] DurableRecordsByFlush(string stdout, int flushes)
    {
        var durable = new long[flushes + 1];
        long checkpoint = 0;
        foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts[0] == "checkpoint") checkpoint = long.Parse(parts[1]);
            else if (parts[0] == "flush") durable[int.Parse(parts[1])] = checkpoint;
        }
        return durable;
    }
}
