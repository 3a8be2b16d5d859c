using CapMap.Messages;
using CapMap.Objects;
using CapMap.Objects.Codecs;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Schema.Inference;
using Xunit;

namespace CapMap.Tests.Objects.Codecs;

/// <summary>
/// Depth end to end in Core: records nested as deep as -Depth allows (100, as ConvertTo-Json) are inferred, written
/// to a file and read back by the schema the file carries, past Cap'n Proto's default nesting limit of 64; and values
/// nested deeper than the depth are counted per path and record (<see cref="ValuesWrittenAsText"/>), for the cmdlets'
/// one warning per path.
/// </summary>
public sealed class DepthTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-depth-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A link of a chain: an object with a name and the next object.</summary>
    public sealed class Node(string name, Node? next)
    {
        public string Name { get; } = name;
        public Node? Next { get; } = next;
    }

    /// <summary>A link of a chain whose property names are long: nested structs are named after their path.</summary>
    public sealed class LongNamedNode(int level, LongNamedNode? next)
    {
        public int LevelOfThisObjectInTheDocument { get; } = level;
        public LongNamedNode? TheNextLevelOfThisDocumentBelowThisOne { get; } = next;
    }

    /// <summary>An object holding a value at three levels: Outer.Inner.Value, and a list of them.</summary>
    public sealed class Outer(object? inner, object?[]? items = null)
    {
        public object? Inner { get; } = inner;
        public object?[]? Items { get; } = items;
    }

    private static Node Chain(int links)
    {
        Node? node = null;
        for (int i = links - 1; i >= 0; i--) node = new Node($"node {i}", node);
        return node!;
    }

    private static object? Property(object row, string name) => row.GetType().GetProperty(name)!.GetValue(row);

    [Fact]
    public void A_record_nested_100_objects_deep_is_written_and_read_back_by_the_schema_it_carries()
    {
        // The record (level 0) and 100 nested objects: -Depth 100 keeps them all as structs.
        var record = Chain(101);
        string path = Path.Combine(_dir, "deep.bin");
        var pending = new PendingMessage(path, new InferenceOptions { Depth = 100 }, new MappedMessageOptions { ReserveBytes = 1L << 26 }, null, ObjectModel.Default, strict: false);
        pending.Hold(record);
        var held = pending.Start();
        using (var writer = pending.Writer!)
        {
            foreach (var r in held) writer.Write(writer.Records!, r!, strict: false);
            writer.Complete(flush: false);
        }

        using var reader = ObjectMessageReader.Open(path);
        var row = Assert.Single(reader.ReadRows(root => FieldPath.Resolve(root, null, rootIfNoList: true), ObjectModel.Default).ToList());
        for (int level = 0; level < 100; level++)
        {
            Assert.Equal($"node {level}", Property(row, "Name"));
            row = Property(row, "Next") ?? throw new Xunit.Sdk.XunitException($"Level {level + 1} did not come back.");
        }
        Assert.Equal("node 100", Property(row, "Name"));
        Assert.Null(Property(row, "Next"));
    }

    [Fact]
    public void A_deep_record_whose_struct_names_outgrow_a_type_name_reads_back()
    {
        // 60 levels of a 38-character name: the innermost struct's name is over 2,000 characters, and .NET refuses
        // type names of 1,024 or more (the row types read back lazily, so the values were null, silently).
        LongNamedNode? node = null;
        for (int i = 59; i >= 0; i--) node = new LongNamedNode(i, node);
        string path = Path.Combine(_dir, "long.bin");
        var pending = new PendingMessage(path, new InferenceOptions { Depth = 100 }, new MappedMessageOptions { ReserveBytes = 1L << 26 }, null, ObjectModel.Default, strict: false);
        pending.Hold(node);
        foreach (var r in pending.Start()) pending.Writer!.Write(pending.Writer.Records!, r!, strict: false);
        using (var writer = pending.Writer!) writer.Complete(flush: false);

        using var reader = ObjectMessageReader.Open(path);
        object? row = Assert.Single(reader.ReadRows(root => FieldPath.Resolve(root, null, rootIfNoList: true), ObjectModel.Default).ToList());
        for (int level = 0; level < 60; level++)
        {
            Assert.Equal(level, Property(row!, "LevelOfThisObjectInTheDocument"));
            row = Property(row!, "TheNextLevelOfThisDocumentBelowThisOne");
        }
        Assert.Null(row);
    }

    [Fact]
    public void The_same_record_at_depth_99_has_its_last_object_written_as_text_and_counted()
    {
        var records = new object?[] { Chain(101), Chain(101) };
        var asText = new ValuesWrittenAsText(99);
        var schema = SchemaInferrer.Infer(records, new InferenceOptions { Depth = 99 });
        var codec = new InferredRecordCodec(ResolvedSchema.FromInferred(schema), ObjectModel.Default with { ValuesWrittenAsText = asText });
        InferenceTestSupport.WriteMessage(codec, records);

        var cut = Assert.Single(asText.Paths);
        Assert.Equal(string.Join('.', Enumerable.Repeat("Next", 100)), cut.Path);
        Assert.Equal(100, cut.Level);
        Assert.Equal(2, cut.Records);
        Assert.True(cut.CutByDepth);
    }

    [Fact]
    public void Values_cut_at_the_depth_are_counted_once_per_path_and_record_and_handed_out_once()
    {
        var records = new object?[]
        {
            new Outer(new Outer(new Node("a", null)), [new Node("x", null), new Node("y", null)]),
            new Outer(new Outer("plain text"), [new Node("z", null)]),
            new Outer(null, null),
        };
        var asText = new ValuesWrittenAsText(1);
        var schema = SchemaInferrer.Infer(records, new InferenceOptions { Depth = 1 });
        var codec = new InferredRecordCodec(ResolvedSchema.FromInferred(schema), ObjectModel.Default with { ValuesWrittenAsText = asText });
        InferenceTestSupport.WriteMessage(codec, records);

        // Inner.Inner is an object at level 2 in the first record only (a string in the second is no cut); the list's
        // elements are at level 1, kept as structs; two elements of one record count as one record.
        var paths = asText.Take();
        var inner = Assert.Single(paths);
        Assert.Equal(new TextPath("Inner.Inner", 2, 1, 1), inner);
        Assert.Empty(asText.Take());

        var deeper = new object?[] { new Outer(null, [new Outer(new Node("m", null)), new Outer(new Node("n", null))]) };
        InferenceTestSupport.WriteMessage(new InferredRecordCodec(ResolvedSchema.FromInferred(SchemaInferrer.Infer(deeper, new InferenceOptions { Depth = 1 })),
            ObjectModel.Default with { ValuesWrittenAsText = asText }), deeper);
        var items = Assert.Single(asText.Take());
        Assert.Equal(new TextPath("Items[].Inner", 2, 1, 1), items); // one record, two elements: counted once
    }

    [Fact]
    public void A_record_rejected_for_another_value_counts_nothing()
    {
        var asText = new ValuesWrittenAsText(1);
        var schema = SchemaInferrer.Infer([new Outer(new Outer(new Node("a", null)), [new Node("b", null)])], new InferenceOptions { Depth = 1 });
        var codec = new InferredRecordCodec(ResolvedSchema.FromInferred(schema), ObjectModel.Default with { ValuesWrittenAsText = asText });
        // Inner.Inner is written as text first; then a number among the Items, which are structs, rejects the record.
        var rejected = new Outer(new Outer(new Node("c", null)), [42]);
        Assert.Throws<InferredValueException>(() => InferenceTestSupport.WriteMessage(codec, [rejected]));
        Assert.Empty(asText.Paths);
    }

    [Fact]
    public void A_field_the_sample_made_text_is_told_apart_from_a_depth_cut()
    {
        var asText = new ValuesWrittenAsText(5);
        // Inner was text in the sample (a string); later objects there lose their parts, but not to -Depth.
        var schema = SchemaInferrer.Infer([new Outer("text")], new InferenceOptions { Depth = 5 });
        var codec = new InferredRecordCodec(ResolvedSchema.FromInferred(schema), ObjectModel.Default with { ValuesWrittenAsText = asText });
        InferenceTestSupport.WriteMessage(codec, [new Outer("text"), new Outer(new Node("a", null))]);
        var path = Assert.Single(asText.Paths);
        Assert.Equal("Inner", path.Path);
        Assert.False(path.CutByDepth);
    }
}
