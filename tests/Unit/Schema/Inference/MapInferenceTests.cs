using System.Collections;
using System.Collections.Specialized;
using CapMap.Schema;
using CapMap.Schema.Inference;
using Xunit;

namespace CapMap.Tests.Schema.Inference;

/// <summary>
/// A dictionary below the record is inferred as a map, <c>List(Entry) { key :Text; value :V }</c> (issue 21): its
/// keys are data, so records keep their own keys; only the values share one type. A record that is itself a
/// dictionary stays a struct of its keys.
/// </summary>
public class MapInferenceTests
{
    private static InferredField Field(InferredStruct s, string name) => s.Fields.Single(f => f.Name == name);

    private static InferredStruct Entry(InferredSchema schema, string name)
    {
        var field = Field(schema.Record!, name);
        Assert.Equal(TypeKind.List, field.Type.Kind);
        return field.Type.Element!.Struct!;
    }

    private static object Record(string name, object? tags) => new OrderedDictionary { ["name"] = name, ["tags"] = tags };

    [Fact]
    public void ADictionaryPropertyIsAListOfEntriesNotAStructOfEveryRecordsKeys()
    {
        var schema = SchemaInferrer.Infer([Record("a", new Hashtable { ["x"] = 1 }), Record("b", new Hashtable { ["y"] = 2, ["z"] = 3 })]);
        var tags = Field(schema.Record!, "tags");
        Assert.Equal("List(RecordTagsEntry)", tags.Type.ToString());
        Assert.Equal("Map", tags.Clr!.ToString());
        var entry = Entry(schema, "tags");
        Assert.Equal([MapEntry.Key, MapEntry.Value], entry.Fields.Where(f => !f.IsFlag).Select(f => f.Name));
        Assert.Equal(("Text", "String"), (Field(entry, MapEntry.Key).Type.ToString(), Field(entry, MapEntry.Key).Clr!.ToString()));
        Assert.Equal(("Int32", "Int32"), (Field(entry, MapEntry.Value).Type.ToString(), Field(entry, MapEntry.Value).Clr!.ToString()));
        Assert.NotNull(Field(entry, MapEntry.Value).NullFlag); // a key whose value is null stays the record's key
        Assert.Same(Field(entry, MapEntry.Value), MapEntry.FieldsOf(entry)!.Value.Value);
    }

    [Theory]
    [InlineData(new object[] { 1, 5_000_000_000L }, "Int64", "Int64")]
    [InlineData(new object[] { 1, "two" }, "RecordTagsValueValue", "Union")]
    [InlineData(new object[] { 1.5, 2 }, "RecordTagsValueValue", "Union")]
    public void TheValuesOfAllRecordsJoinAsPropertyValuesDo(object[] values, string capnp, string clr)
    {
        var schema = SchemaInferrer.Infer(values.Select((v, i) => Record("r", new Hashtable { [$"k{i}"] = v })).ToArray());
        var value = Field(Entry(schema, "tags"), MapEntry.Value);
        Assert.Equal((capnp, clr), (value.Type.ToString(), value.Clr!.ToString()));
    }

    [Fact]
    public void ARecordThatIsADictionaryStaysAStructOfItsKeys()
    {
        var schema = SchemaInferrer.Infer([new Hashtable { ["x"] = 1 }, new Hashtable { ["y"] = "two" }]);
        Assert.Equal(["x", "y"], schema.Record!.Fields.Where(f => !f.IsFlag).Select(f => f.Name).Order());
        Assert.Equal("Sequence(Dictionary)", schema.Root.Fields[0].Clr!.ToString());
    }

    [Fact]
    public void OrderedDictionariesMakeAnOrderedMapUntilAnotherDictionaryJoins()
    {
        var ordered = SchemaInferrer.Infer([Record("a", new OrderedDictionary { ["x"] = 1 }), Record("b", new OrderedDictionary())]);
        Assert.Equal("Map:Ordered", Field(ordered.Record!, "tags").Clr!.ToString());
        var mixed = SchemaInferrer.Infer([Record("a", new OrderedDictionary { ["x"] = 1 }), Record("b", new Dictionary<string, int> { ["y"] = 2 })]);
        Assert.Equal("Map", Field(mixed.Record!, "tags").Clr!.ToString());
    }

    [Fact]
    public void ListsAndDictionariesAsValuesFollowTheSameShapesAsElementsOfLists()
    {
        var records = new[]
        {
            Record("a", new Hashtable { ["first"] = new object[] { new Hashtable { ["a"] = 1 }, new Hashtable { ["b"] = 2 } } }),
            Record("b", new Hashtable { ["second"] = new object[] { new Hashtable { ["c"] = 3 } } }),
        };
        var schema = SchemaInferrer.Infer(records, new InferenceOptions { Depth = 2 });
        var value = Field(Entry(schema, "tags"), MapEntry.Value);
        Assert.Equal("Sequence(Map)", value.Clr!.ToString());
        var inner = value.Type.Element!.Element!.Struct!;
        Assert.Equal("Int32", Field(inner, MapEntry.Value).Type.ToString());

        // A map counts as a level, as the struct it was before: beyond the depth its values are their text.
        var shallow = SchemaInferrer.Infer(records);
        Assert.Equal("Sequence(String)", Field(Entry(shallow, "tags"), MapEntry.Value).Clr!.ToString());
    }

    [Fact]
    public void ADictionaryWhereOtherValuesWereScalarsIsAUnionMember()
    {
        var afterScalar = SchemaInferrer.Infer([Record("a", 1), Record("b", new Hashtable { ["x"] = 1 })]);
        Assert.Equal(["Int32", "Map"], Field(afterScalar.Record!, "tags").Type.Struct!.Fields.Select(f => f.Clr!.ToString()));
        var afterMap = SchemaInferrer.Infer([Record("a", new Hashtable { ["x"] = 1 }), Record("b", new Version(1, 2))]);
        Assert.Equal(["Map", "Version"], Field(afterMap.Record!, "tags").Type.Struct!.Fields.Select(f => f.Clr!.ToString()));
    }

    [Fact]
    public void TheMapSurvivesTheSchemaBytesAndItsText()
    {
        var schema = SchemaInferrer.Infer([Record("a", new OrderedDictionary { ["x"] = 1 })]);
        var reloaded = InferredSchema.FromSchemaSet(SchemaSet.Load(schema.ToBytes()));
        InferredLayoutPropertyTests.AssertSameModel(schema, reloaded);
        Assert.Equal("Map:Ordered", Field(reloaded.Record!, "tags").Clr!.ToString());
        Assert.Contains("tags @1 :List(RecordTagsEntry) $clrType(\"Map:Ordered\");", schema.ToCapnpText(), StringComparison.Ordinal);
    }
}
