using System.Collections;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Schema;
using CapMap.Tests.Interop;
using CapMap.Wire;
using Xunit;
using Xunit.Abstractions;
using static CapMap.Tests.Objects.ObjectTestSupport;

namespace CapMap.Tests.Objects;

/// <summary>
/// Interop direction (a): messages our StructWriter builds from hashtables are decoded by the reference
/// implementation (<c>capnp convert binary:json</c>), in one segment, in tiny fixed segments (far and double-far
/// pointers), and inside a mapped file with a streaming list; plus a round trip through our own reader.
/// </summary>
public sealed class StructWriterInteropTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-objects-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Words of the largest single object an AllTypes vector allocates (the root struct is the largest).</summary>
    private static int LargestObjectWords => AllTypes.DataWordCount + AllTypes.PointerCount;

    public enum Segments { Single, Tiny }

    public static TheoryData<string, Segments, InputStyle> Cases()
    {
        var data = new TheoryData<string, Segments, InputStyle>();
        foreach (var (name, _) in InteropVectors.All())
            foreach (var segments in new[] { Segments.Single, Segments.Tiny })
                foreach (var style in new[] { InputStyle.Typed, InputStyle.PowerShell, InputStyle.Strings })
                    data.Add(name, segments, style);
        return data;
    }

    private static HeapSegmentArena NewArena(Segments segments) => segments == Segments.Single
        ? new HeapSegmentArena(firstSegmentWords: 1 << 16)
        // Two-word segments: nearly every object lands in a segment of its own behind a far pointer; an object as large
        // as the largest segment allowed (the root) has no room for a landing pad beside it and needs a double-far
        // pointer. (Segment 0 keeps one word free, too little for the two-word pad: capnp's tool refuses a root whose
        // far pointer leads back into segment 0.)
        : new HeapSegmentArena(firstSegmentWords: 2, maxSegmentWords: LargestObjectWords, fixedSegmentSize: true);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Capnp_decodes_what_StructWriter_wrote(string vector, Segments segments, InputStyle style)
    {
        var expected = InteropVectors.All().Single(v => v.Name == vector).Value;
        var input = ToStructInput(expected, AllTypes, style);

        byte[] bytes;
        int segmentCount;
        ulong rootWord;
        using (var arena = NewArena(segments))
        {
            var message = new MessageBuilder(arena);
            new StructWriter(AllTypes).WriteRoot(message, input);
            bytes = message.ToFramedBytes();
            segmentCount = arena.SegmentCount;
            unsafe { rootWord = *arena.GetSegmentStart(0); }
        }

        if (segments == Segments.Single)
        {
            Assert.Equal(1, segmentCount);
        }
        else
        {
            Assert.True(segmentCount > (vector == "full" ? 10 : 2), $"expected many segments, got {segmentCount}");
            Assert.Equal(6UL, rootWord & 7); // far pointer (2) with the double-far bit (4): the root fills a segment
        }

        string json = CapnpTool.BinaryToJson(bytes, "AllTypes");
        try
        {
            // Every value given is there ...
            JsonValues.AssertStruct(JsonValues.Parse(json), expected, AllTypes, exact: false);
            // ... and capnp prints exactly what it prints for its own encoding of the same values.
            Assert.Equal(ReferenceJson(expected), json);
        }
        catch
        {
            output.WriteLine($"{segmentCount} segments; capnp says: {json}");
            throw;
        }

        // Our reader agrees as well.
        using var reader = MessageReader.FromFramedBytes(bytes);
        var readBack = DynamicValueReader.ReadStruct(reader.GetRoot(), AllTypes);
        JsonValues.AssertStruct(JsonValues.Parse(json), readBack, AllTypes, exact: true);
    }

    /// <summary>capnp's JSON of its own encoding of the vector (json:binary, then binary:json).</summary>
    private static string ReferenceJson(Dictionary<string, object?> expected) =>
        CapnpTool.BinaryToJson(CapnpTool.JsonToBinary(InteropVectors.Json(expected), "AllTypes"), "AllTypes");

    [Fact]
    public void Round_trip_through_our_reader_gives_back_every_value()
    {
        var expected = InteropVectors.Full();
        var value = RoundTrip(AllTypes, ToStructInput(expected, AllTypes, InputStyle.Typed));
        // Compare through capnp's JSON of the expected values, which pins the representation of every kind.
        string json = ReferenceJson(expected);
        JsonValues.AssertStruct(JsonValues.Parse(json), value, AllTypes, exact: true);
        Assert.Equal("choiceStruct", value.Which);
        Assert.Equal("label", ((StructValue)value["shape"]!).Which);
        Assert.Equal("scheduled", ((StructValue)((StructValue)value["settings"]!)["mode"]!).Which);
        Assert.Equal(-8000000000000000000L, value["int64Field"]);
        Assert.Equal((ushort)3, value["enumField"]);
        Assert.Equal(new byte[] { 9, 8, 7 }, value["defaultData"]);
    }

    [Fact]
    public void A_StructValue_read_back_writes_the_same_message_again()
    {
        var first = RoundTrip(AllTypes, ToStructInput(InteropVectors.Full(), AllTypes, InputStyle.Typed));
        // StructValue carries Void union members as null, which counts as absent; the discriminants that matter
        // here (choiceStruct, label, scheduled) are non-Void members, so the copy is exact.
        var second = RoundTrip(AllTypes, first);
        Assert.Equal(first.ToString(), second.ToString());
    }

    [Fact]
    public void Mapped_message_with_a_streaming_list_of_1000_records_decodes_in_capnp()
    {
        const int count = 1000;
        var expected = InteropVectors.Batch(count);
        var records = (IEnumerable)expected["records"]!;
        string path = Path.Combine(_dir, "batch.bin");

        var batchWriter = new StructWriter(BatchSchema);
        var recordWriter = new StructWriter(RecordSchema);
        using (var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 1L << 28 }))
        {
            var root = builder.InitRoot(BatchSchema.DataWordCount, BatchSchema.PointerCount);
            batchWriter.Write(root, H(("label", expected["label"]), ("count", expected["count"])));
            var list = builder.OpenStructList(root, (int)BatchSchema.GetField("records").Offset, RecordSchema.DataWordCount, RecordSchema.PointerCount);
            int i = 0;
            foreach (Dictionary<string, object?> record in records)
            {
                // Vary the input kinds: hashtable, plain object, dictionary, CSV-like strings.
                object source = (i % 4) switch
                {
                    0 => H(record.Select(kv => (kv.Key, kv.Value)).ToArray()),
                    1 => new RecordPoco { Id = (ulong)record["id"]!, Value = (double)record["value"]!, Name = (string?)record["name"], Flag = (bool)record["flag"]! },
                    2 => new Dictionary<string, object?>(record),
                    _ => H(("ID", record["id"]!.ToString()), ("Value", ((double)record["value"]!).ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
                           ("name", record["name"]), ("flag", (bool)record["flag"]! ? "yes" : "no"), ("extra", "ignored")),
                };
                recordWriter.Append(list, source);
                if (i == 500)
                {
                    // A bad record in the middle is rejected and leaves no trace in the list.
                    var bad = Assert.Throws<CapnpValueException>(() => recordWriter.Append(list, H(("id", -1))));
                    Assert.Equal("id", bad.FieldPath);
                    Assert.Equal(i + 1, list.Count);
                }
                i++;
            }
            builder.Complete();
        }

        string json = CapnpTool.BinaryToJson(File.ReadAllBytes(path), "Batch");
        JsonValues.AssertStruct(JsonValues.Parse(json), expected, BatchSchema, exact: true);
    }

    private sealed class RecordPoco
    {
        public ulong Id { get; init; }
        public double Value { get; init; }
        public string? Name { get; init; }
        public bool Flag { get; init; }
        public string Ignored => "not a field";
    }
}
