using System.Collections;
using System.Collections.Specialized;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Objects.Codecs;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Mapping;
using Xunit;
using static CapMap.Tests.Objects.Codecs.RecordWriterSessionTests;

namespace CapMap.Tests.Objects.Codecs;

/// <summary>
/// The schema can change within a file: after an inferred schema's sample, a record that does not fit (a type
/// change, a new property, a value where the sample had only nulls) ends the message and goes on in a next message
/// of the same file that carries the widened schema; every record comes back with its own type. An append whose
/// every record is refused leaves the file byte for byte as it was.
/// </summary>
public sealed class SchemaChangeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static RecordWriterSession Inferred(string path, int sampleSize, MappedMessageOptions? options = null, CarriedSchema? follows = null) =>
        new(new PendingMessage(path, new InferenceOptions { SampleSize = sampleSize }, options ?? Options, null, ObjectModel.Default, strict: false) { Follows = follows });

    private static OrderedDictionary Record(params (string Name, object? Value)[] properties)
    {
        var record = new OrderedDictionary();
        foreach (var (name, value) in properties) record[name] = value;
        return record;
    }

    private static InferredField FieldOf(string path, int message, string name)
    {
        var carried = CarriedSchema.Read(path, message)!;
        return carried.Inferred!.Record!.FindField(name)!;
    }

    [Fact]
    public void A_type_change_after_the_sample_goes_on_in_a_next_message_and_each_value_keeps_its_type()
    {
        string path = _dir.File("typechange.bin");
        var session = Inferred(path, sampleSize: 3);
        var feed = RecordsFeed(session);
        for (int i = 1; i <= 3; i++) Assert.Empty(feed.Write(Record(("v", i))));
        Assert.Empty(session.TakeSchemaChanges());
        Assert.Empty(feed.Write(Record(("v", "s4")))); // not rejected
        var change = Assert.Single(session.TakeSchemaChanges());
        Assert.Equal(3, change.RecordIndex);
        Assert.Contains("v", change.Reason);
        Assert.Empty(session.TakeSchemaChanges()); // each change is handed out once
        Assert.Empty(feed.Write(Record(("v", "s5"))));
        var summary = session.Complete(flush: false);

        Assert.Equal(2, summary.Messages);
        Assert.Equal(5, summary.RecordCount);
        Assert.Equal(5, feed.Written);
        Assert.Equal(0, feed.Rejected);
        Assert.Equal(new object?[] { 1, 2, 3, "s4", "s5" }, ReadRows(path).Select(r => Property(r, "v")));
        Assert.Equal(TypeKind.Int32, FieldOf(path, 0, "v").Type.Kind); // each message carries its own schema
        var widened = FieldOf(path, 1, "v").Type; // ints and text: a union of the two kinds
        Assert.Equal(TypeKind.Struct, widened.Kind);
        Assert.True(widened.Struct!.IsUnion);
        Assert.Equal(["int32", "string"], widened.Struct.Fields.Select(f => f.Identifier));
    }

    [Fact]
    public void A_property_first_seen_after_the_sample_is_kept_and_the_old_fields_keep_their_types()
    {
        string path = _dir.File("newproperty.bin");
        using (var session = Inferred(path, sampleSize: 2))
        {
            var feed = RecordsFeed(session);
            feed.Write(Record(("id", 1), ("name", "a")));
            feed.Write(Record(("id", 2), ("name", "b")));
            Assert.Empty(feed.Write(Record(("id", 3), ("name", "c"), ("late", 2.5))));
            Assert.Empty(feed.Write(Record(("id", 4), ("name", "d"))));
            session.Complete(flush: false);
        }

        var rows = ReadRows(path);
        Assert.Equal(new object?[] { 1, 2, 3, 4 }, rows.Select(r => Property(r, "id")));
        Assert.Equal(2.5, Property(rows[2], "late"));
        Assert.Null(Property(rows[3], "late"));
        Assert.Equal(TypeKind.Int32, FieldOf(path, 1, "id").Type.Kind);
        Assert.Equal(TypeKind.Float64, FieldOf(path, 1, "late").Type.Kind);
        Assert.Null(CarriedSchema.Read(path, 0)!.Inferred!.Record!.FindField("late"));
    }

    [Fact]
    public void Nulls_never_fix_a_type_the_first_value_decides_in_a_next_message()
    {
        string path = _dir.File("nulls.bin");
        using (var session = Inferred(path, sampleSize: 2))
        {
            var feed = RecordsFeed(session);
            feed.Write(Record(("k", 1), ("n", null)));
            feed.Write(Record(("k", 2), ("n", null)));
            Assert.Equal(TypeKind.Void, session.InferredSchema!.Inferred!.Record!.FindField("n")!.Type.Kind);
            Assert.Empty(feed.Write(Record(("k", 3), ("n", null)))); // still fits
            Assert.Empty(session.TakeSchemaChanges());
            Assert.Empty(feed.Write(Record(("k", 4), ("n", 40))));
            Assert.Single(session.TakeSchemaChanges());
            session.Complete(flush: false);
        }

        var rows = ReadRows(path);
        Assert.Equal(new object?[] { null, null, null, 40 }, rows.Select(r => Property(r, "n")));
        Assert.Equal(TypeKind.Int32, FieldOf(path, 1, "n").Type.Kind);
    }

    [Fact]
    public void Feeds_made_before_a_change_write_into_the_new_root_and_a_record_that_fits_no_widening_is_rejected()
    {
        string path = _dir.File("feeds.bin");
        using var session = Inferred(path, sampleSize: 1);
        var first = RecordsFeed(session);
        var second = RecordsFeed(session);
        first.Write(Record(("a", 1)));
        Assert.Empty(first.Write(Record(("a", 2), ("b", "x")))); // the next message begins here
        Assert.Empty(second.Write(Record(("a", 3), ("b", "y")))); // its target is resolved in the new root
        Assert.Same(session.Writer!.Records!.Root, second.Target!.Root);
        Assert.Single(second.Write(null)); // not a record: nothing widens that
        session.Complete(flush: false);
        Assert.Equal(new object?[] { null, "x", "y" }, ReadRows(path).Select(r => Property(r, "b")));
    }

    [Fact]
    public void An_append_without_a_schema_carries_its_own_and_says_when_it_differs_from_the_files_last()
    {
        string path = _dir.File("append.bin");
        using (var first = Inferred(path, sampleSize: 10))
        {
            var feed = RecordsFeed(first);
            feed.Write(Record(("id", 1), ("name", "n1")));
            first.Complete(flush: false);
        }
        byte[] before = File.ReadAllBytes(path);
        var appendOptions = Options with { Append = true };

        using (var same = Inferred(path, sampleSize: 10, appendOptions, CarriedSchema.Read(path, 0)))
        {
            RecordsFeed(same).Write(Record(("id", 2), ("name", "n2")));
            same.Complete(flush: false);
            Assert.Empty(same.TakeSchemaChanges()); // the same shape: the same schema, nothing to tell
        }
        using (var other = Inferred(path, sampleSize: 10, appendOptions, CarriedSchema.Read(path, 1)))
        {
            RecordsFeed(other).Write(Record(("host", "h6"), ("cpu", 9.0)));
            other.Complete(flush: false);
            var change = Assert.Single(other.TakeSchemaChanges());
            Assert.Null(change.RecordIndex);
        }

        Assert.True(File.ReadAllBytes(path).AsSpan(0, before.Length).SequenceEqual(before)); // earlier messages stay byte for byte
        var rows = ReadRows(path);
        Assert.Equal(new object?[] { 1, 2, null }, rows.Select(r => Property(r, "id")));
        Assert.Equal("h6", Property(rows[2], "host"));
        Assert.Equal(9.0, Property(rows[2], "cpu"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_append_whose_every_record_is_refused_leaves_the_file_byte_for_byte(bool complete)
    {
        string path = _dir.File("refused.bin");
        var resolved = ResolvedSchema.FromInferred(SchemaInferrer.Infer([Record(("n", 1))]));
        using (var session = new RecordWriterSession(ObjectMessageWriter.Create(path, Options, resolved, resolved.Root!, null, ObjectModel.Default, strict: false)))
        {
            session.Feed(w => w.Records!, strict: false).Write(Record(("n", 1)));
            session.Complete(flush: false);
        }
        byte[] before = File.ReadAllBytes(path);

        // The file's schema, given as such: nothing widens it, so a record that does not fit is refused.
        var appended = new RecordWriterSession(ObjectMessageWriter.Create(path, Options with { Append = true }, resolved, resolved.Root!, null, ObjectModel.Default, strict: false));
        var feed = appended.Feed(w => w.Records!, strict: false);
        Assert.Single(feed.Write(Record(("n", "not a number"))));
        Assert.Single(feed.Write(Record(("n", 2), ("extra", 1))));
        if (complete) Assert.Equal(0, appended.Complete(flush: false).Messages);
        else appended.Dispose();

        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void An_append_that_keeps_a_record_is_kept()
    {
        string path = _dir.File("kept.bin");
        var resolved = ResolvedSchema.FromInferred(SchemaInferrer.Infer([Record(("n", 1))]));
        using (var session = new RecordWriterSession(ObjectMessageWriter.Create(path, Options, resolved, resolved.Root!, null, ObjectModel.Default, strict: false)))
            session.Complete(flush: false);
        using (var appended = new RecordWriterSession(ObjectMessageWriter.Create(path, Options with { Append = true }, resolved, resolved.Root!, null, ObjectModel.Default, strict: false)))
        {
            var feed = appended.Feed(w => w.Records!, strict: false);
            Assert.Single(feed.Write(Record(("n", "not a number"))));
            Assert.Empty(feed.Write(Record(("n", 2))));
            appended.Complete(flush: false);
        }
        Assert.Equal(2, MessageFileInfo.ReadAll(path).Count);
        Assert.Equal(new object?[] { 2 }, ReadRows(path).Select(r => Property(r, "n")));
    }
}
