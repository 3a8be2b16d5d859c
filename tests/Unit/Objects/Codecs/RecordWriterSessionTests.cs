using System.Collections;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Objects.Codecs;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Mapping;
using Xunit;

namespace CapMap.Tests.Objects.Codecs;

/// <summary>
/// Core's writing of objects one at a time, whether the schema is known or still to be inferred: the sample is held
/// (no file) until it is full or the input ends, then the file is created and the held records written first, in
/// order; a record that cannot be written comes back with its index; whatever ends the message writes a held sample.
/// </summary>
public sealed class RecordWriterSessionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static readonly MappedMessageOptions Options = new() { ReserveBytes = 1L << 30 };

    private static Hashtable Record(int id, string name) => new() { ["Id"] = id, ["Name"] = name };

    /// <summary>A row's property (null when the row has no such property).</summary>
    // Records that were dictionaries come back as dictionaries; rows of objects by their properties.
    internal static object? Property(object row, string name) =>
        row is System.Collections.IDictionary d ? d[name] : row.GetType().GetProperty(name)?.GetValue(row);

    private RecordWriterSession Inferred(string path, int sampleSize, object? rootProperties = null) =>
        new(new PendingMessage(path, new InferenceOptions { SampleSize = sampleSize }, Options, rootProperties, ObjectModel.Default, strict: false));

    internal static RecordFeed RecordsFeed(RecordWriterSession session) => session.Feed(writer => writer.Records!, strict: false);

    /// <summary>Every record of the file, each message read through the schema it carries.</summary>
    internal static List<object> ReadRows(string path)
    {
        using var reader = ObjectMessageReader.Open(path);
        return reader.ReadRows(root => FieldPath.Resolve(root, null, rootIfNoList: true), ObjectModel.Default).ToList();
    }

    [Fact]
    public void The_sample_is_held_until_full_then_the_file_is_created_and_the_held_records_written_first()
    {
        string path = _dir.File("sample.bin");
        var session = Inferred(path, sampleSize: 3);
        var feed = RecordsFeed(session);

        Assert.Empty(feed.Write(Record(1, "one")));
        Assert.Empty(feed.Write(Record(2, "two")));
        Assert.True(session.AwaitsSchema);
        Assert.False(File.Exists(path)); // nothing is created while the sample fills
        Assert.Null(session.Writer);
        Assert.Equal(0, feed.InputCount); // held records have no index until written

        Assert.Empty(feed.Write(Record(3, "three"))); // the sample is full
        Assert.False(session.AwaitsSchema);
        Assert.True(File.Exists(path));
        Assert.NotNull(session.InferredSchema);
        Assert.Equal(3, feed.Written);

        Assert.Empty(feed.Write(Record(4, "four"))); // streamed after the held ones
        Assert.Equal(4, feed.InputCount);
        session.Complete(flush: false);

        var rows = ReadRows(path);
        Assert.Equal(new object?[] { 1, 2, 3, 4 }, rows.Select(r => Property(r, "Id")));
        Assert.Equal("three", Property(rows[2], "Name"));
    }

    [Fact]
    public void Rejections_come_back_with_their_index_from_the_call_that_wrote_them()
    {
        string path = _dir.File("rejected.bin");
        using var session = Inferred(path, sampleSize: 3);
        var feed = RecordsFeed(session);

        Assert.Empty(feed.Write(Record(1, "one")));
        Assert.Empty(feed.Write(null)); // held: judged when written
        var sampleRejections = feed.Write(Record(3, "three"));
        var nullRecord = Assert.Single(sampleRejections);
        Assert.Equal(1, nullRecord.Index);
        Assert.Null(nullRecord.Input);
        var notARecord = Assert.IsType<NotARecordException>(nullRecord.Error);
        Assert.True(notARecord.TakesAnyValue); // an inferred schema takes plain values: only null is refused
        Assert.Same(session.Writer!.Records, nullRecord.Target);

        Assert.Empty(feed.Write(Record(4, "four")));
        Assert.Single(feed.Write(null)); // after the sample too
        Assert.Equal(3, feed.Written);
        Assert.Equal(2, feed.Rejected);
        Assert.Empty(feed.Write(Record(6, "six"))); // later records are not affected
        session.Complete(flush: false);

        Assert.Equal(new object?[] { 1, 3, 4, 6 }, ReadRows(path).Select(r => Property(r, "Id")));
    }

    [Fact]
    public void The_end_of_the_input_writes_a_sample_that_never_filled()
    {
        string path = _dir.File("short.bin");
        var session = Inferred(path, sampleSize: 100);
        var idle = RecordsFeed(session);
        var feed = RecordsFeed(session);
        feed.Write(Record(1, "one"));
        feed.Write(Record(2, "two"));

        Assert.Empty(idle.End()); // a feed that held nothing does not end another's sample
        Assert.True(session.AwaitsSchema);
        Assert.Empty(feed.End());
        Assert.False(session.AwaitsSchema);
        Assert.Equal(2, feed.Written);
        session.Complete(flush: false);

        Assert.Equal(new object?[] { 1, 2 }, ReadRows(path).Select(r => Property(r, "Id")));
    }

    [Fact]
    public void Disposing_writes_a_held_sample_so_a_stopped_input_keeps_its_records()
    {
        string path = _dir.File("stopped.bin");
        var session = Inferred(path, sampleSize: 100);
        var feed = RecordsFeed(session);
        feed.Write(Record(1, "one"));
        feed.Write(Record(2, "two"));
        session.Dispose(); // no End, no Complete: the input stopped

        Assert.Equal(2, feed.Written);
        Assert.Equal(new object?[] { 1, 2 }, ReadRows(path).Select(r => Property(r, "Id")));
    }

    [Fact]
    public void Disposing_before_any_record_creates_the_file_with_the_schema_of_no_records()
    {
        string path = _dir.File("empty.bin");
        Inferred(path, sampleSize: 10).Dispose();
        Assert.True(File.Exists(path));
        Assert.Empty(ReadRows(path));
    }

    [Fact]
    public void A_root_value_that_does_not_convert_fails_the_creation_once_and_leaves_no_file()
    {
        string path = _dir.File("root.bin");
        var session = Inferred(path, sampleSize: 1, rootProperties: new Hashtable { ["records"] = 5 });
        var feed = RecordsFeed(session);

        var e = Assert.Throws<RootPropertiesException>(() => feed.Write(Record(1, "one")));
        Assert.NotNull(e.StreamedList); // the streamed list cannot be a root value
        Assert.False(File.Exists(path));
        Assert.False(session.AwaitsSchema);
        Assert.Throws<InvalidOperationException>(() => session.Complete(flush: false));
        session.Dispose(); // nothing to keep, nothing thrown
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_message_with_its_schema_writes_each_record_as_it_comes_into_the_target_the_caller_picks()
    {
        var inferred = ResolvedSchema.FromInferred(SchemaInferrer.Infer([Record(1, "a")]));
        var written = ResolvedSchema.FromRequest(inferred.SchemaSet, inferred.GetRequestBytes()); // read by field name, as a schema a user wrote
        string path = _dir.File("explicit.bin");
        var session = new RecordWriterSession(ObjectMessageWriter.Create(path, Options, written, inferred.Root!, null, ObjectModel.Default, strict: false));
        var target = FieldPath.Resolve(inferred.Root!, null)!;
        var feed = session.Feed(_ => target, strict: false);

        Assert.False(session.AwaitsSchema);
        Assert.Null(session.InferredSchema);
        Assert.Empty(feed.Write(Record(1, "one")));
        var plain = Assert.Single(feed.Write(42)); // a plain value has no fields to give this struct
        Assert.Equal(1, plain.Index);
        var notARecord = Assert.IsType<NotARecordException>(plain.Error);
        Assert.False(notARecord.TakesAnyValue);
        Assert.Equal(42, notARecord.Value);
        Assert.Single(feed.Write(new[] { 1, 2 })); // nor has a list
        Assert.Empty(feed.Write(Record(4, "four")));
        Assert.Same(target, feed.Target);
        session.Complete(flush: false);

        Assert.Equal(2, feed.Written);
        Assert.Equal(2, feed.Rejected);
    }

    /// <summary>A record whose getters count how often they run (each record its own count).</summary>
    public sealed class CountedReads
    {
        public int Reads;
        public int Id { get; init; }
        public string Name { get { Reads++; return $"n{Id}"; } }
        public CountedNested Nested { get; } = new();
    }

    public sealed class CountedNested
    {
        public int Reads;
        public int Size { get { Reads++; return 7; } }
    }

    [Fact]
    public void A_held_record_is_read_once_by_the_sample_and_written_from_that_reading()
    {
        // The sample walk counts a record's values, then observes them, and the held records are written after it:
        // each used to read the record again (a FileInfo's script properties ran three times per sampled record).
        string path = _dir.File("read-once.bin");
        var records = Enumerable.Range(1, 5).Select(i => new CountedReads { Id = i }).ToList();
        using (var session = Inferred(path, sampleSize: 3))
        {
            var feed = RecordsFeed(session);
            foreach (var r in records) Assert.Empty(feed.Write(r));
            Assert.Empty(feed.End());
            session.Complete();
        }
        // The record's own getters ran once, in the sample and after it; a nested object's are read by the count and
        // again by the writer (objects met again are read per record, as they may have changed).
        Assert.All(records, r => Assert.Equal(1, r.Reads));
        var rows = ReadRows(path);
        Assert.Equal(records.Select(r => $"n{r.Id}"), rows.Select(r => (string?)Property(r, "Name")));
        Assert.All(rows, r => Assert.Equal(7, Property(Property(r, "Nested")!, "Size")));
    }

    [Fact]
    public void A_record_past_a_full_sample_keeps_no_reading_of_the_record_before_it()
    {
        // The writer matches a reading to its record by reference; a reading attached to the wrong record would write
        // the record before's values in its place.
        var buffer = new SampleBuffer(new SchemaInferrer(new InferenceOptions { SampleSize = 1 }));
        buffer.Add(Record(1, "one"));
        buffer.Add(Record(2, "two")); // not taken: the sample is full
        Assert.Equal("one", buffer.Described[0]!.Properties.Single(p => p.Key == "Name").Value);
        Assert.Null(buffer.Described[1]);
    }
}
