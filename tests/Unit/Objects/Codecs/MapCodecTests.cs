using System.Collections;
using System.Collections.Specialized;
using CapMap.Objects.Codecs;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Schema.Inference;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Objects.Codecs;

/// <summary>
/// Maps (a dictionary below the record, <c>List(Entry)</c>) through the record writer and <see cref="InferredRowReader"/>:
/// each record's dictionary comes back with exactly its own keys, in order, of its recorded flavour; files whose
/// dictionaries were structs (before maps) read as they did.
/// </summary>
public class MapCodecTests
{
    private static object Record(string name, object? tags) => new OrderedDictionary { ["name"] = name, ["tags"] = tags };

    // Records that were dictionaries come back as dictionaries; rows of objects by their properties.
    private static object? Property(object row, string name) =>
        row is IDictionary d ? d[name] : row.GetType().GetProperty(name)!.GetValue(row);

    private static List<object> WriteAndRead(InferredSchema schema, IReadOnlyList<object?> records)
    {
        var codec = new InferredRecordCodec(schema);
        byte[] bytes = InferenceTestSupport.WriteMessage(codec, records);
        // Read by the schema as the file carries it: its bytes, loaded back.
        var reloaded = InferredSchema.FromSchemaSet(SchemaSet.Load(schema.ToBytes()));
        var reader = new InferredRowReader(reloaded, reloaded.ToSchemaSet());
        using var message = MessageReader.FromFramedBytes(bytes);
        var list = message.GetRoot().ReadList((int)schema.Root.Fields[0].Offset);
        return Enumerable.Range(0, list.Count).Select(i => reader.Read(list.GetStruct(i))).ToList();
    }

    [Fact]
    public void EachRecordKeepsExactlyItsOwnKeysInTheirOrder()
    {
        var records = new object?[]
        {
            Record("a", new OrderedDictionary { ["x"] = 1 }),
            Record("b", new OrderedDictionary { ["z"] = "two", ["y"] = null, ["x"] = 3 }),
            Record("c", new OrderedDictionary()),
            Record("d", null),
        };
        var back = WriteAndRead(SchemaInferrer.Infer(records), records);
        var a = Assert.IsType<OrderedDictionary>(Property(back[0], "tags"));
        Assert.Equal(["x"], a.Keys.Cast<string>());
        Assert.Equal(1, a["x"]); // 1 and "two" under one map: the values are a union, each keeps its type
        var b = Assert.IsType<OrderedDictionary>(Property(back[1], "tags"));
        Assert.Equal(["z", "y", "x"], b.Keys.Cast<string>());
        Assert.Equal(["two", null, 3], b.Values.Cast<object?>());
        Assert.Empty(Assert.IsType<OrderedDictionary>(Property(back[2], "tags")));
        Assert.Null(Property(back[3], "tags"));
    }

    [Fact]
    public void KeysAreFoundIgnoringCaseUnlessTwoDifferOnlyByCase()
    {
        var exact = new OrderedDictionary(StringComparer.Ordinal) { ["k"] = 1, ["K"] = 2 };
        var records = new object?[] { Record("a", new OrderedDictionary { ["Name"] = "web" }), Record("b", exact) };
        var back = WriteAndRead(SchemaInferrer.Infer(records), records);
        var a = Assert.IsType<OrderedDictionary>(Property(back[0], "tags"));
        Assert.Equal("web", a["name"]);
        var b = Assert.IsType<OrderedDictionary>(Property(back[1], "tags"));
        Assert.Equal(2, b.Count);
        Assert.Equal(1, b["k"]);
        Assert.Equal(2, b["K"]);
    }

    [Fact]
    public void ValuesKeepTheirTypeAndAnyOtherDictionaryComesBackAsAHashtable()
    {
        var when = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        var records = new object?[]
        {
            Record("a", new Dictionary<int, DateTime> { [1] = when }),
            Record("b", new SortedList { ["k"] = when.AddDays(1), ["l"] = null }),
        };
        var back = WriteAndRead(SchemaInferrer.Infer(records), records);
        var a = Assert.IsType<Hashtable>(Property(back[0], "tags"));
        Assert.Equal(when, Assert.IsType<DateTime>(a["1"])); // keys are kept as their invariant text
        Assert.Equal(DateTimeKind.Utc, ((DateTime)a["1"]!).Kind);
        var b = Assert.IsType<Hashtable>(Property(back[1], "tags"));
        Assert.Equal(2, b.Count);
        Assert.Null(b["l"]);
        Assert.True(b.ContainsKey("l"));
    }

    [Fact]
    public void DictionariesInListsAndListsInMapsComeBackNested()
    {
        var records = new object?[]
        {
            Record("a", new Hashtable { ["first"] = new object[] { new Hashtable { ["a"] = 1 }, new Hashtable { ["b"] = 2, ["c"] = 3 } } }),
        };
        var back = WriteAndRead(SchemaInferrer.Infer(records, new InferenceOptions { Depth = 2 }), records);
        var tags = Assert.IsType<Hashtable>(Property(back[0], "tags"));
        var first = Assert.IsType<object[]>(tags["first"]);
        Assert.Equal(["a"], Assert.IsType<Hashtable>(first[0]).Keys.Cast<string>());
        var second = Assert.IsType<Hashtable>(first[1]);
        Assert.Equal(["b", "c"], second.Keys.Cast<string>().Order());
        Assert.Equal(3, second["c"]);
    }

    [Fact]
    public void AnObjectWhereTheSamplesHadDictionariesGivesItsPropertiesAndAScalarDoesNotFit()
    {
        var schema = SchemaInferrer.Infer([Record("a", new Hashtable { ["Major"] = 1 })]);
        var back = WriteAndRead(schema, [Record("b", new { Major = 4, Minor = 2 })]);
        var tags = Assert.IsType<Hashtable>(Property(back[0], "tags"));
        Assert.Equal((4, 2), ((int)tags["Major"]!, (int)tags["Minor"]!));
        var e = Assert.Throws<InferredValueException>(() => WriteAndRead(schema, [Record("c", 5)]));
        Assert.Contains("not a dictionary", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A file written before maps: its dictionary property is a struct of every key (<see cref="ClrKind.Dictionary"/>).</summary>
    [Fact]
    public void FilesWhoseDictionariesWereStructsReadAsBefore()
    {
        var tags = InferredStruct.WithNullFlags("RecordTags",
        [
            new InferredField("x", InferredType.Of(TypeKind.Int32), ClrTypeInfo.Scalar("Int32")),
            new InferredField("y", InferredType.Of(TypeKind.Text), ClrTypeInfo.Scalar("String")),
        ]);
        var record = InferredStruct.WithNullFlags("Record",
        [
            new InferredField("name", InferredType.Of(TypeKind.Text), ClrTypeInfo.Scalar("String")),
            new InferredField("tags", InferredType.StructOf(tags), new ClrTypeInfo(ClrKind.Dictionary)),
        ]);
        var schema = new InferredSchema(record, new ClrTypeInfo(ClrKind.Object));
        var records = new object?[] { Record("a", new Hashtable { ["x"] = 1 }), Record("b", new Hashtable { ["y"] = "two" }) };
        var back = WriteAndRead(schema, records);
        var a = Assert.IsType<Hashtable>(Property(back[0], "tags"));
        Assert.Equal((1, null), (a["x"], a["y"]));
        var b = Assert.IsType<Hashtable>(Property(back[1], "tags"));
        Assert.Equal((null, "two"), (b["x"], b["y"]));
        Assert.Equal(2, b.Count); // every key of the struct, as before
    }
}
