using System.Buffers.Binary;
using System.Text.Json;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Tests.Interop;
using CapMap.Tests.Mapping;
using CapMap.Tests.Messages;
using Xunit;

namespace CapMap.Tests.Reliability;

/// <summary>
/// Repair decides before it writes: a checkpoint record that announces a move the file does not bear out (a copy
/// past the end, a damaged source, a bad progress word, a record past the end) must end either refused with the
/// file byte for byte as it was, length included, or accepted with a file that the reference <c>capnp</c> tool and
/// libcapnp's <c>FlatArrayMessageReader</c> both read.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RepairRefusalTests : IClassFixture<CarriedSchemaReaderTests.FlatReader>, IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CarriedSchemaReaderTests.FlatReader _flatReader;
    private readonly string _request;

    public RepairRefusalTests(CarriedSchemaReaderTests.FlatReader flatReader)
    {
        _flatReader = flatReader;
        _request = _dir.File("records.request.bin");
        File.WriteAllBytes(_request, CapnpTool.CompileRequest("records.capnp"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_refused_repair_of_a_complete_message_with_a_copy_announced_past_its_end_changes_no_byte()
    {
        // The issue's case: a complete 20,000-record message, then a checksummed record announcing a 4 KiB copy
        // from 64 KiB to 128 KiB, progress 0. Settled, its layout ends past the file, so repair must refuse; it
        // used to finish the copy in the file first (3,073 bytes changed, Import then read 512 wrong records).
        string path = _dir.File("complete.bin");
        MappedMessageBuilderTests.BuildRecords(path, 20_000, GrowthMode.Fault);
        Announce(path, PendingMove.Copy(64 << 10, 128 << 10, 4 << 10), progress: 0);
        var before = File.ReadAllBytes(path);

        var refused = Assert.Throws<MessageRepairException>(() => MessageRepair.Repair(path));
        Assert.Contains("shorter than", refused.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    /// <summary>Each case crafts a file; the test only knows the two outcomes that are allowed.</summary>
    public static TheoryData<string> CraftedCases => new()
    {
        "copy past the end of a complete message",
        "copy with a damaged source",
        "copy with a damaged source, half done",
        "copy whose progress word is beyond its chunk count",
        "copy whose progress word is negative",
        "copy that says it is done though nothing was copied",
        "copy into the header page",
        "collapse that happened, with a damaged tail",
        "collapse that happened cleanly",
        "record that ends past the end of the file",
        "record with a patch past the end of the file",
        "record whose segment is declared past the end of the file",
    };

    [Theory]
    [MemberData(nameof(CraftedCases))]
    public void A_crafted_inconsistency_is_refused_unchanged_or_repaired_to_a_file_capnp_and_libcapnp_read(string craft)
    {
        string path = Craft(craft);
        AssertRefusedUnchangedOrReadable(path, craft);
    }

    [Fact]
    public void Random_announced_moves_are_refused_unchanged_or_repaired_to_files_capnp_and_libcapnp_read()
    {
        var random = new Random(20261206);
        string basePath = Checkpointed("random-base.bin", 3_000);
        var pristine = File.ReadAllBytes(basePath);
        var record = ReadLatest(pristine);
        int accepted = 0, refused = 0;
        for (int round = 0; round < 24; round++)
        {
            string path = _dir.File($"random{round}.bin");
            long length = pristine.Length + (random.Next(3) == 0 ? 0 : random.Next(1, 64) * 4096L);
            var bytes = new byte[length];
            pristine.CopyTo(bytes, 0);
            long AnyWord(long limit) => random.NextInt64(0, limit / 8) * 8;
            PendingMove move;
            long progress = 0;
            if (random.Next(3) == 0)
            {
                long offset = AnyWord(length), removed = AnyWord(length - offset) + 8;
                move = PendingMove.Collapse(offset, removed, random.Next(2) == 0 ? length + removed : length + AnyWord(8192));
            }
            else
            {
                long source = AnyWord(length), destination = AnyWord(length);
                if (destination == source) destination += 8;
                move = PendingMove.Copy(source, destination, AnyWord(Math.Max(8, length - Math.Max(source, destination))) + 8);
                progress = random.NextInt64(-1, JournaledMove.ChunkCount(move) + 2);
            }
            if (random.Next(2) == 0) random.NextBytes(bytes.AsSpan((int)AnyWord(length - 4096), 4096)); // and some damage somewhere
            WriteAnnouncement(bytes, record, move, progress);
            File.WriteAllBytes(path, bytes);
            if (AssertRefusedUnchangedOrReadable(path, $"round {round}: {move}, progress {progress}")) accepted++;
            else refused++;
        }
        Assert.True(refused > 0, $"no random move was refused ({accepted} accepted): the rounds prove nothing about refusals");
    }

    /// <summary>Builds the file of a crafted case (see <see cref="CraftedCases"/>).</summary>
    private string Craft(string craft)
    {
        string path = _dir.File("crafted.bin");
        if (craft == "copy past the end of a complete message")
        {
            MappedMessageBuilderTests.BuildRecords(path, 20_000, GrowthMode.Fault);
            Announce(path, PendingMove.Copy(64 << 10, 128 << 10, 4 << 10), progress: 0);
            return path;
        }
        string source = Checkpointed("crafted-source.bin", 3_000);
        var bytes = File.ReadAllBytes(source);
        var record = ReadLatest(bytes);
        // The checkpointed file has two segments: the list's (segment 0) and the main lane after a gap.
        Assert.Equal(2, record.Segments.Count);
        long mainLane = record.Segments[1].FileOffset, mainBytes = record.EndOffset - mainLane;
        const long Shift = 64 << 10;
        var copyUp = PendingMove.Copy(mainLane, mainLane + Shift, mainBytes);
        byte[] Grown(long extra) => [.. bytes, .. new byte[extra]];
        void Damage(byte[] file, long from, int length) => file.AsSpan((int)from, length).Fill(0xFF);
        switch (craft)
        {
            case "copy with a damaged source":
                bytes = Grown(Shift);
                Damage(bytes, mainLane + 8, 4096);
                WriteAnnouncement(bytes, record, copyUp, 0);
                break;
            case "copy with a damaged source, half done":
                bytes = Grown(Shift);
                long chunks = JournaledMove.ChunkCount(copyUp);
                Assert.True(chunks > 2, $"the copy has {chunks} chunks");
                // Chunks are taken from the top when moving up: finish the upper ones, damage a lower one's source.
                for (long k = 0; k < chunks / 2; k++)
                {
                    long start = Math.Max(mainBytes - (k + 1) * Shift, 0), end = mainBytes - k * Shift;
                    Array.Copy(bytes, mainLane + start, bytes, mainLane + Shift + start, end - start);
                }
                Damage(bytes, mainLane + 8, 4096);
                WriteAnnouncement(bytes, record, copyUp, chunks / 2);
                break;
            case "copy whose progress word is beyond its chunk count":
                bytes = Grown(Shift);
                WriteAnnouncement(bytes, record, copyUp, JournaledMove.ChunkCount(copyUp) + 1);
                break;
            case "copy whose progress word is negative":
                bytes = Grown(Shift);
                WriteAnnouncement(bytes, record, copyUp, -1);
                break;
            case "copy that says it is done though nothing was copied":
                bytes = Grown(Shift);
                WriteAnnouncement(bytes, record, copyUp, JournaledMove.ChunkCount(copyUp));
                break;
            case "copy into the header page":
                WriteAnnouncement(bytes, record, PendingMove.Copy(mainLane, 512, 4096), 0);
                break;
            case "collapse that happened, with a damaged tail":
            case "collapse that happened cleanly":
            {
                // Remove 64 KiB of the gap before the main lane, as collapse-range would, and announce it.
                long from = mainLane - Shift;
                Assert.True(from >= record.Segments[0].FileOffset + 24 * 3_000 + 8192, "the gap is too small to collapse");
                long before = bytes.Length;
                bytes = [.. bytes.AsSpan(0, (int)from), .. bytes.AsSpan((int)mainLane)];
                if (craft.Contains("damaged")) Damage(bytes, from + 8, 4096);
                WriteAnnouncement(bytes, record, PendingMove.Collapse(from, Shift, before), 0);
                break;
            }
            case "record that ends past the end of the file":
                WriteRecord(bytes, record with { Sequence = record.Sequence + 1 });
                bytes = bytes[..(int)(record.EndOffset - 4096)];
                break;
            case "record with a patch past the end of the file":
                WriteRecord(bytes, record with { Sequence = record.Sequence + 1, Patches = [.. record.Patches, new WordPatch(bytes.Length + 4096, 1)] });
                break;
            case "record whose segment is declared past the end of the file":
                var segments = record.Segments.ToArray();
                segments[^1] = segments[^1] with { Words = segments[^1].Words + 1024 };
                WriteRecord(bytes, record with { Sequence = record.Sequence + 1, Segments = segments, EndOffset = record.EndOffset + 8192 });
                break;
            default:
                throw new ArgumentException($"unknown case '{craft}'", nameof(craft));
        }
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// Repairs <paramref name="path"/>: a refusal (a <see cref="MessageRepairException"/>, nothing else) must leave
    /// every byte and the length as they were. An acceptance must give a stream libcapnp reads structurally (every
    /// pointer of every message followed: <c>capnp convert binary:canonical</c>), and the two schema-typed readers,
    /// <c>capnp convert binary:json</c> and libcapnp's <c>FlatArrayMessageReader</c>, must agree: both read it, with
    /// the records repair reports, or both reject it. (Repair knows no schema: a source damaged in a way that keeps
    /// the structure valid, or a progress word ahead of the data, passes its walk with fields of the wrong kind; only
    /// the flush order keeps the latter from happening, see PowerLossTests.) True when accepted.
    /// </summary>
    private bool AssertRefusedUnchangedOrReadable(string path, string context)
    {
        var before = File.ReadAllBytes(path);
        RepairResult result;
        try
        {
            result = MessageRepair.Repair(path);
        }
        catch (MessageRepairException refused)
        {
            var after = File.ReadAllBytes(path);
            Assert.True(before.Length == after.Length, $"{context}: refused ({refused.Message}) but the length changed from {before.Length} to {after.Length}");
            int changed = before.Zip(after).Count(pair => pair.First != pair.Second);
            Assert.True(changed == 0, $"{context}: refused ({refused.Message}) but {changed} bytes changed");
            return false;
        }
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(result.BytesAfter, bytes.Length);
        try
        {
            CapnpTool.Run(["convert", "binary:canonical"], bytes);
        }
        catch (CapnpToolException e)
        {
            throw new Xunit.Sdk.XunitException($"{context}: repaired, but libcapnp cannot walk the file: {e.Message}");
        }
        List<JsonElement>? capnp = null;
        IReadOnlyList<JsonElement>? cpp = null;
        string? capnpError = null, cppError = null;
        try
        {
            capnp = CapnpTool.BinaryToJson(bytes, "Root", "records.capnp", shortJson: true)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        }
        catch (CapnpToolException e)
        {
            capnpError = e.Message;
        }
        try
        {
            cpp = _flatReader.Read(_request, "Root", path);
        }
        catch (InvalidOperationException e)
        {
            cppError = e.Message;
        }
        Assert.True((capnp is null) == (cpp is null), $"{context}: capnp {(capnp is null ? "rejects" : "reads")} the repaired file, libcapnp's flat reader {(cpp is null ? "rejects" : "reads")} it: {capnpError}{cppError}");
        if (capnp is null || cpp is null) return true;
        Assert.True(capnp.Count == cpp.Count, $"{context}: capnp reads {capnp.Count} messages, libcapnp {cpp.Count}");
        long records = RecordCount(capnp[^1]);
        Assert.True(records == RecordCount(cpp[^1]), $"{context}: capnp and libcapnp disagree on the records");
        Assert.True(records == result.RecordCount, $"{context}: repair reports {result.RecordCount} records, capnp reads {records}");
        return true;
    }

    private static long RecordCount(JsonElement root) => root.TryGetProperty("records", out var list) ? list.GetArrayLength() : 0;

    /// <summary>A checkpointed (not completed) file of <paramref name="count"/> records, compact lanes, as a killed writer leaves it.</summary>
    private string Checkpointed(string name, int count)
    {
        string path = _dir.File(name);
        using (var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 1L << 30, CompactLanes = true }))
            MappedMessageBuilderTests.WriteRecords(builder, count, written => written == count);
        return path;
    }

    private static CheckpointRecord ReadLatest(byte[] file) => CheckpointRecord.ReadLatest(file.AsSpan(0, MappedFileLayout.HeaderBytes))!;

    /// <summary>Adds a checksummed record announcing <paramref name="move"/> on top of the file's newest one, with its progress word.</summary>
    private static void Announce(string path, PendingMove move, long progress)
    {
        var bytes = File.ReadAllBytes(path);
        WriteAnnouncement(bytes, ReadLatest(bytes), move, progress);
        File.WriteAllBytes(path, bytes);
    }

    private static void WriteAnnouncement(byte[] file, CheckpointRecord record, PendingMove move, long progress)
    {
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan((int)JournaledMove.ProgressOffset(record.MessageOffset)), progress);
        WriteRecord(file, record with { Sequence = record.Sequence + 1, Pending = move });
    }

    private static unsafe void WriteRecord(byte[] file, CheckpointRecord record)
    {
        fixed (byte* start = file) MessageHeader.WriteRecord(start, record);
    }
}
