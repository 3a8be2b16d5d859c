using System.Collections;
using System.Collections.Specialized;
using System.Text.Json;
using CapMap.Objects.Codecs;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Schema.Inference;
using Xunit;
using static CapMap.Tests.Objects.Codecs.UnionRoundTrip;

namespace CapMap.Tests.Objects.Codecs;

/// <summary>
/// Values of several kinds are written to and read from their union structs: each value comes back with its own
/// .NET type (docs/object-conversion.md, "Values of several kinds"), and the reference tool reads the same values.
/// </summary>
public class UnionCodecTests
{
    public sealed class Point { public int A { get; init; } = 1; }

    private static object?[] Values(List<object?> back, string property) =>
        back.Select(r => ((ReadBack)r!).Properties[property]).ToArray();

    [Fact]
    public void IntStringAndNullInOnePropertyComeBackAsThemselves()
    {
        var back = Run([new Hashtable { ["v"] = 42 }, new Hashtable { ["v"] = "x" }, new Hashtable { ["v"] = null }, new Hashtable { ["v"] = 7 }], out _, out _);
        Assert.Equal([42, "x", null, 7], Values(back, "v"));
        Assert.IsType<int>(Values(back, "v")[0]);
    }

    [Fact]
    public void IntDoubleAndBoolKeepTheirTypes()
    {
        var back = Run([new Hashtable { ["v"] = 1 }, new Hashtable { ["v"] = 2.5 }, new Hashtable { ["v"] = true }, new Hashtable { ["v"] = 5_000_000_000L }], out _, out _);
        var values = Values(back, "v");
        Assert.Equal([typeof(long), typeof(double), typeof(bool), typeof(long)], values.Select(v => v!.GetType()));
        Assert.Equal([1L, 2.5, true, 5_000_000_000L], values);
    }

    [Fact]
    public void MapValuesOfSeveralKindsKeepTheirTypes()
    {
        var back = Run([new Hashtable { ["tags"] = new OrderedDictionary { ["x"] = 1, ["y"] = "two" } }], out _, out _);
        var tags = Assert.IsType<OrderedDictionary>(Values(back, "tags")[0]);
        Assert.Equal(1, tags["x"]);
        Assert.Equal("two", tags["y"]);
    }

    [Fact]
    public void AnArrayMixingObjectsValuesNullsAndArraysKeepsEveryElement()
    {
        var mixed = new object?[] { new Point(), 2, "three", null, new object[] { 4, "five" }, 6.5, new Hashtable { ["m"] = 'c' } };
        var back = Run([new Hashtable { ["items"] = mixed }], out var schema, out _);
        var items = Assert.IsType<object?[]>(Values(back, "items")[0]);
        Assert.Equal(7, items.Length);
        Assert.Equal(1, Assert.IsType<ReadBack>(items[0]).Properties["A"]);
        Assert.Equal([2, "three", null], items[1..4]);
        Assert.Equal(new object[] { 4, "five" }, Assert.IsType<object?[]>(items[4]));
        Assert.Equal(6.5, items[5]);
        Assert.Equal('c', Assert.IsType<Hashtable>(items[6])["m"]);
        // The elements are a union with a Void member for the nulls, and the inner list is a union of its own.
        var element = schema.Record!.FindField("items")!.Type.Element!.Struct!;
        Assert.True(element.IsUnion);
        Assert.Equal(["object", "int32", "string", "list", "double", "map", "null"], element.Fields.Select(f => f.Name));
    }

    [Fact]
    public void RecordsOfSeveralTypesComeBackAsTheirOwnTypeWithTheirOwnProperties()
    {
        using var dir = new CapMap.Tests.Mapping.TempDir();
        File.WriteAllText(dir.File("a.txt"), "hello");
        Directory.CreateDirectory(dir.File("sub"));
        var records = new object[] { new DirectoryInfo(dir.File("sub")), new FileInfo(dir.File("a.txt")) };
        var back = Run(records, out var schema, out _);
        Assert.True(schema.Record!.IsUnion);
        Assert.Equal(ClrKind.Union, schema.Root.Fields[0].Clr!.Element!.Kind);
        var folder = Assert.IsType<ReadBack>(back[0]);
        var file = Assert.IsType<ReadBack>(back[1]);
        Assert.Equal("Deserialized.System.IO.DirectoryInfo", folder.TypeName);
        Assert.Equal("Deserialized.System.IO.FileInfo", file.TypeName);
        Assert.Equal("sub", folder.Properties["Name"]);
        Assert.Equal(5L, file.Properties["Length"]);
        Assert.False(folder.Properties.ContainsKey("Length")); // only its own properties
        Assert.False(file.Properties.ContainsKey("Parent"));
    }

    [Fact]
    public void RecordsOfOneTypeKeepTheirPlainLayout()
    {
        var schema = SchemaInferrer.Infer([new Version(1, 2).ToString(), new Hashtable { ["a"] = 1 }]);
        Assert.False(schema.Record!.IsUnion);
        var files = SchemaInferrer.Infer([new FileInfo("/etc/hostname"), new FileInfo("/etc/passwd")]);
        Assert.False(files.Record!.IsUnion);
        Assert.Equal(ClrKind.Object, files.Root.Fields[0].Clr!.Element!.Kind);
    }

    [Fact]
    public void AValueOfANewKindAfterTheSampleDoesNotFit()
    {
        var codec = new InferredRecordCodec(SchemaInferrer.Infer([new Hashtable { ["v"] = 1 }, new Hashtable { ["v"] = "x" }]));
        InferenceTestSupport.WriteMessage(codec, [new Hashtable { ["v"] = 5L }, new Hashtable { ["v"] = "y" }]);
        var e = Assert.Throws<InferredValueException>(() => InferenceTestSupport.WriteMessage(codec, [new Hashtable { ["v"] = 2.5 }]));
        Assert.Contains("none of the kinds", e.Message);
        var types = new InferredRecordCodec(SchemaInferrer.Infer([new DirectoryInfo("/"), new FileInfo("/etc/hostname")]));
        Assert.Throws<InferredValueException>(() => InferenceTestSupport.WriteMessage(types, [new Version(1, 0)]));
    }

    [Fact]
    public void TheReferenceToolReadsTheUnionsAsCapMapWroteThem()
    {
        var records = new object?[]
        {
            new Hashtable { ["v"] = 42, ["items"] = new object?[] { 1, "a", null } },
            new Hashtable { ["v"] = "x", ["items"] = new object?[] { new Point { A = 9 } } },
        };
        Run(records, out var schema, out var message);
        var json = InferenceTestSupport.ConvertWithCapnp(schema, message);
        Assert.Equal("42", json[0].GetProperty("v").GetProperty("int32").ToString());
        Assert.Equal("x", json[1].GetProperty("v").GetProperty("string").GetString());
        var items = json[0].GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("1", items[0].GetProperty("int32").ToString());
        Assert.Equal("a", items[1].GetProperty("string").GetString());
        Assert.Equal(JsonValueKind.Null, items[2].GetProperty("null").ValueKind);
        Assert.Equal("9", json[1].GetProperty("items")[0].GetProperty("object").GetProperty("a").ToString());
    }
}
