using System.Collections;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Objects.Codecs;
using CapMap.Schema;
using CapMap.Schema.Inference;
using Xunit;

namespace CapMap.Tests.Objects.Codecs;

/// <summary>
/// The record-codec seam: Core picks the codec from the resolved schema, the inferred schema is resolved once (the
/// codec, the file header and the caller share one set and one request), the sample-then-infer lifecycle creates the
/// file and writes the held records first, and a file read by its carried schemas comes back through the codec each
/// message's schema calls for.
/// </summary>
public sealed class RecordCodecTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-codec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly MappedMessageOptions Options = new() { ReserveBytes = 1L << 30 };

    private static Hashtable Record(int id, string name) => new() { ["Id"] = id, ["Name"] = name };

    // Records that were dictionaries come back as dictionaries; rows of objects by their properties.
    private static object? Property(object row, string name) =>
        row is System.Collections.IDictionary d ? d[name] : row.GetType().GetProperty(name)!.GetValue(row);

    [Fact]
    public void An_inferred_schema_is_resolved_once_and_the_codec_and_file_header_share_it()
    {
        var resolved = ResolvedSchema.FromInferred(SchemaInferrer.Infer([Record(1, "a")]));
        string path = Path.Combine(_dir, "once.bin");
        using var writer = ObjectMessageWriter.Create(path, Options, resolved, resolved.Root!, null, ObjectModel.Default, strict: false);

        var codec = Assert.IsType<InferredRecordCodec>(writer.Codec);
        Assert.Same(resolved, codec.Resolved);
        Assert.Same(resolved.SchemaSet, codec.SchemaSet); // not a second set made from the model
        Assert.Same(resolved.Inferred, codec.Schema);
        Assert.Same(resolved.Root, writer.RootSchema);
        var carried = CarriedSchema.For(resolved, resolved.Root!);
        Assert.Same(resolved.Request, carried.CodeGeneratorRequest); // the header embeds the bytes the set was loaded from
    }

    [Fact]
    public void Core_picks_the_codec_from_the_schema_and_the_root()
    {
        var inferred = ResolvedSchema.FromInferred(SchemaInferrer.Infer([new Hashtable { ["Id"] = 1, ["Inner"] = new Hashtable { ["X"] = 2 } }], new InferenceOptions { Depth = 2 }));
        Assert.IsType<InferredRecordCodec>(RecordCodec.For(inferred, inferred.Root!, ObjectModel.Default));
        // Another struct of an inferred schema as the root is read and written by field name, as a schema a user wrote.
        var record = inferred.SchemaSet.GetById(inferred.Inferred!.Record!.Id);
        Assert.IsType<ExplicitRecordCodec>(RecordCodec.For(inferred, (StructSchema)record, ObjectModel.Default));

        var written = ResolvedSchema.FromRequest(inferred.SchemaSet, inferred.GetRequestBytes());
        var codec = RecordCodec.For(written, inferred.Root!, ObjectModel.Default);
        Assert.IsType<ExplicitRecordCodec>(codec);
        Assert.Null(codec.Records); // the caller picks the list
        Assert.False(codec.TakesAnyValue(FieldPath.Resolve(inferred.Root!, null)!));
    }

    [Fact]
    public void A_pending_message_infers_from_the_held_records_creates_the_file_and_reads_back_by_the_carried_schema()
    {
        string path = Path.Combine(_dir, "pending.bin");
        var pending = new PendingMessage(path, new InferenceOptions { SampleSize = 2 }, Options, null, ObjectModel.Default, strict: false);
        Assert.False(pending.Hold(Record(1, "one")));
        Assert.False(File.Exists(path)); // nothing is created while the sample fills
        Assert.True(pending.Hold(Record(2, "two")));
        var held = pending.Start();
        Assert.Equal(2, held.Count);
        Assert.Throws<InvalidOperationException>(() => pending.Hold(Record(3, "three")));

        using (var writer = pending.Writer!)
        {
            Assert.Same(pending.Schema!.SchemaSet, ((InferredRecordCodec)writer.Codec).SchemaSet);
            var records = writer.Records!;
            foreach (var record in held) writer.Write(records, record!, strict: false);
            writer.Write(records, new Hashtable { ["Id"] = 3, ["Name"] = "three" }, strict: false);
            writer.Write(records, new Hashtable { ["Id"] = 4 }, strict: false);
            Assert.True(writer.TakesAnyValue(records));
            // A property the schema lacks does not fit: nothing of the record is written (a session widens the schema).
            Assert.Throws<InferredValueException>(() => writer.Write(records, new Hashtable { ["Id"] = 5, ["Late"] = true }, strict: false));
            Assert.Throws<InferredValueException>(() => writer.Write(records, 5, strict: false)); // a value is the record's Value, which it lacks
            writer.Complete(flush: false);
        }

        using var reader = ObjectMessageReader.Open(path);
        var rows = reader.ReadRows(root => FieldPath.Resolve(root, null, rootIfNoList: true), ObjectModel.Default).ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(new object?[] { 1, 2, 3, 4 }, rows.Select(r => Property(r, "Id")));
        Assert.Equal("two", Property(rows[1], "Name")); // original names and .NET types come back
        Assert.Null(Property(rows[3], "Name"));
    }

    [Fact]
    public void A_file_whose_first_message_carries_no_schema_cannot_be_read_by_carried_schemas()
    {
        var resolved = ResolvedSchema.FromInferred(SchemaInferrer.Infer([Record(1, "a")]));
        string path = Path.Combine(_dir, "bare.bin");
        using (var writer = ObjectMessageWriter.Create(path, Options, resolved.Root!, null, new ObjectWriterOptions()))
            writer.Complete(flush: false);

        using var reader = ObjectMessageReader.Open(path);
        var e = Assert.Throws<NoCarriedSchemaException>(() => reader.ReadRows(root => null, ObjectModel.Default).ToList());
        Assert.Equal(path, e.Path);
    }
}
