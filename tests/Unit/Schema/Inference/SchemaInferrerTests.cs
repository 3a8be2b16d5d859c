using System.Collections;
using System.Collections.Specialized;
using CapMap.Schema;
using CapMap.Schema.Inference;
using Xunit;

namespace CapMap.Tests.Schema.Inference;

/// <summary>The inference rules: property order, widening, mixed kinds, nulls, depth, odd cases.</summary>
public class SchemaInferrerTests
{
    private static InferredField Field(InferredSchema schema, string name) =>
        schema.Record!.FindField(name) ?? throw new Xunit.Sdk.XunitException($"no field '{name}'");

    private static InferredSchema Infer(params object?[] records) => SchemaInferrer.Infer(records);

    [Fact]
    public void FieldsFollowPropertyOrderFirstSeenFirst()
    {
        var schema = Infer(new OrderedDictionary { ["b"] = 1, ["a"] = 2 }, new OrderedDictionary { ["c"] = 3, ["a"] = 4 });
        Assert.Equal(["b", "a", "c"], schema.Record!.Fields.Where(f => !f.IsFlag).Select(f => f.Name));
        Assert.Equal("Batch", schema.Root.Identifier);
        Assert.Equal("records", schema.Root.Fields[0].Identifier);
        Assert.Equal("Record", schema.Record.Identifier);
    }

    [Theory]
    [InlineData(new object[] { 1, 2 }, "Int32", "Int32")]
    [InlineData(new object[] { 1, 2L }, "Int64", "Int64")]
    [InlineData(new object[] { (byte)1, (sbyte)-1 }, "Int16", "Int16")]
    [InlineData(new object[] { 1, 3_000_000_000u }, "Int64", "Int64")]
    [InlineData(new object[] { 1u, (ushort)2 }, "UInt32", "UInt32")]
    [InlineData(new object[] { -1L, ulong.MaxValue }, "Text", "Decimal")]
    [InlineData(new object[] { 1.5f, 2.5f }, "Float32", "Single")]
    [InlineData(new object[] { 1.5f, 2.5 }, "Float64", "Double")]
    [InlineData(new object?[] { null, 5 }, "Int32", "Int32")]
    public void NumbersOfOneClassWiden(object?[] values, string capnp, string clr)
    {
        var schema = Infer(values.Select(v => (object)new Hashtable { ["v"] = v }).ToArray());
        Assert.Equal(capnp, Field(schema, "v").Type.ToString());
        Assert.Equal(clr, Field(schema, "v").Clr!.ToString());
    }

    [Fact]
    public void DecimalsIntegersAndFloatsAreKindsOfTheirOwn()
    {
        Assert.Equal(["Decimal", "Int64"], Members(Infer(new Hashtable { ["v"] = 1m }, new Hashtable { ["v"] = 5L }), "v"));
        Assert.Equal(["Decimal", "Double"], Members(Infer(new Hashtable { ["v"] = 1m }, new Hashtable { ["v"] = 5.0 }), "v"));
    }

    [Theory]
    [InlineData(new object[] { 1, 2.5 }, new[] { "Int32", "Double" })]
    [InlineData(new object[] { 1, "x", 2L }, new[] { "Int64", "String" })]
    [InlineData(new object[] { true, 1, 1.5f, 2.5 }, new[] { "Boolean", "Int32", "Double" })]
    [InlineData(new object[] { 'a', "bc" }, new[] { "Char", "String" })]
    public void ValuesOfSeveralKindsMakeAUnionOfTheKinds(object[] values, string[] members)
    {
        var schema = Infer(values.Select(v => (object)new Hashtable { ["v"] = v }).ToArray());
        Assert.Equal("Union", Field(schema, "v").Clr!.ToString());
        Assert.Equal("RecordVValue", Field(schema, "v").Type.ToString());
        Assert.Equal(members, Members(schema, "v"));
        Assert.Null(Field(schema, "v").NullFlag); // a null is a null pointer to the union
    }

    private static string[] Members(InferredSchema schema, string field) =>
        Field(schema, field).Type.Struct!.Fields.Select(f => f.Clr!.ToString()).ToArray();

    [Fact]
    public void DateTimesOfDifferentKindsAreAUnionThatKeepsEachKind()
    {
        var schema = Infer(new Hashtable { ["t"] = DateTime.Now }, new Hashtable { ["t"] = DateTime.UtcNow });
        var union = Field(schema, "t").Type.Struct!;
        Assert.True(union.IsUnion);
        Assert.Equal(["dateTimeLocal", "dateTimeUtc"], union.Fields.Select(f => f.Identifier));
        Assert.Equal(["DateTime:Local", "DateTime:Utc"], union.Fields.Select(f => f.Clr!.ToString()));
        var back = InferenceTestSupport.RoundTrip([new Hashtable { ["t"] = DateTime.Now }, new Hashtable { ["t"] = DateTime.UtcNow }]);
        Assert.Equal([DateTimeKind.Local, DateTimeKind.Utc], back.Select(r => ((DateTime)r["t"]!).Kind));
    }

    [Fact]
    public void WidenedValuesReadBackAsTheWiderType()
    {
        var back = InferenceTestSupport.RoundTrip([new Hashtable { ["v"] = 1 }, new Hashtable { ["v"] = 5_000_000_000L }, new Hashtable { ["v"] = "x" }]);
        Assert.Equal([1L, 5000000000L, "x"], back.Select(r => r["v"]));
    }

    [Fact]
    public void AValueAndAListInOnePropertyKeepEachAsItWas()
    {
        var records = new object[] { new Hashtable { ["l"] = 7 }, new Hashtable { ["l"] = new object[] { 8, 9 } }, new Hashtable { ["l"] = 10 } };
        var schema = SchemaInferrer.Infer(records);
        Assert.Equal(["Int32", "Sequence(Int32)"], Members(schema, "l"));
        var back = InferenceTestSupport.RoundTrip(records);
        Assert.Equal([7, new object[] { 8, 9 }, 10], back.Select(r => r["l"]));
    }

    [Fact]
    public void ASingleValueAfterTheSampleGoesIntoAListFieldAsOneElement()
    {
        // PowerShell unrolls one-element arrays: a list property may hold a lone value after the sample.
        var schema = SchemaInferrer.Infer([new Hashtable { ["l"] = new object[] { 8, 9 } }]);
        Assert.Equal("List(Int32)", Field(schema, "l").Type.ToString());
        var codec = new CapMap.Objects.Codecs.InferredRecordCodec(schema);
        var message = InferenceTestSupport.WriteMessage(codec, [new Hashtable { ["l"] = 7 }]);
        Assert.Equal(new object[] { 7 }, InferenceTestSupport.ReadMessage(codec, message)[0]["l"]);
    }

    public sealed class Leaf { public string Name { get; init; } = "leaf"; }

    public sealed class Middle
    {
        public int Size { get; init; } = 3;
        public Leaf Leaf { get; init; } = new();
        public Leaf[] Leaves { get; init; } = [new(), new() { Name = "other" }];
    }

    public sealed class Top
    {
        public string Id { get; init; } = "top";
        public Middle Middle { get; init; } = new();
        public int[] Numbers { get; init; } = [1, 2];
    }

    [Fact]
    public void DepthZeroWritesNestedObjectsAsTheirStrings()
    {
        var schema = SchemaInferrer.Infer([new Top()], new InferenceOptions { Depth = 0 });
        Assert.Equal("Text", Field(schema, "Middle").Type.ToString());
        Assert.Equal("List(Int32)", Field(schema, "Numbers").Type.ToString()); // lists are not a level
        var back = Assert.Single(InferenceTestSupport.RoundTrip([new Top()], new InferenceOptions { Depth = 0 }));
        Assert.Equal(typeof(Middle).FullName, back["Middle"]);
    }

    [Fact]
    public void DefaultDepthKeepsOneLevelOfNestedObjects()
    {
        var schema = SchemaInferrer.Infer([new Top()]);
        var middle = Field(schema, "Middle");
        Assert.Equal(TypeKind.Struct, middle.Type.Kind);
        Assert.Equal("RecordMiddle", middle.Type.Struct!.Identifier);
        Assert.Equal("Text", middle.Type.Struct.FindField("Leaf")!.Type.ToString());
        Assert.Equal("List(Text)", middle.Type.Struct.FindField("Leaves")!.Type.ToString());
    }

    [Fact]
    public void DeeperDepthFollowsListsOfObjects()
    {
        var options = new InferenceOptions { Depth = 2 };
        var schema = SchemaInferrer.Infer([new Top()], options);
        var leaves = Field(schema, "Middle").Type.Struct!.FindField("Leaves")!;
        Assert.Equal("List(RecordMiddleLeaves)", leaves.Type.ToString());
        var back = Assert.Single(InferenceTestSupport.RoundTrip([new Top()], options));
        var middle = Assert.IsType<ObjectRecord>(back["Middle"]);
        var items = Assert.IsType<object[]>(middle["Leaves"]);
        Assert.Equal(["leaf", "other"], items.Cast<ObjectRecord>().Select(l => l["Name"]));
    }

    public sealed class Throwing
    {
        public int Fine => 1;
        public int Broken => throw new InvalidOperationException("no exit code yet");
    }

    [Fact]
    public void AGetterThatThrowsReadsAsNull()
    {
        var schema = SchemaInferrer.Infer([new Throwing()]);
        Assert.Equal("Void", Field(schema, "Broken").Type.ToString()); // only ever null: no type yet
        var back = Assert.Single(InferenceTestSupport.RoundTrip([new Throwing()]));
        Assert.Equal(1, back["Fine"]);
        Assert.Null(back["Broken"]);
    }

    [Fact]
    public void APropertySeenAfterTheSampleDoesNotFitItsSchema()
    {
        var sample = new Hashtable { ["a"] = 1 };
        var schema = SchemaInferrer.Infer([sample, new Hashtable { ["a"] = 2, ["late"] = 1 }], new InferenceOptions { SampleSize = 1 });
        Assert.Single(schema.Record!.Fields, f => !f.IsFlag);
        var codec = new DictionaryRecordCodec(schema);
        codec.Encode(sample);
        var e = Assert.Throws<InferredValueException>(() => codec.Encode(new OrderedDictionary { ["a"] = 3, ["late"] = "x" }));
        Assert.StartsWith("late:", e.Message);
    }

    [Theory]
    [InlineData(null, "Void", null)] // only nulls: no type yet, read back as null
    [InlineData(5, "Int32", "Int32")] // the first value decides, whatever came before it
    [InlineData("x", "Text", "String")]
    public void NullsNeverFixAType(object? later, string capnp, string? clr)
    {
        var inferrer = new SchemaInferrer(new InferenceOptions { SampleSize = 2 });
        inferrer.Add(new Hashtable { ["n"] = null, ["k"] = 1 });
        inferrer.Add(new Hashtable { ["n"] = null, ["k"] = 2 });
        Assert.Equal("Void", Field(inferrer.Build(), "n").Type.ToString());
        inferrer.Widen(new Hashtable { ["n"] = later, ["k"] = 3 });
        var widened = inferrer.Build();
        Assert.Equal(capnp, Field(widened, "n").Type.ToString());
        Assert.Equal(clr, Field(widened, "n").Clr?.ToString());
        Assert.Equal("Int32", Field(widened, "k").Type.ToString()); // the old fields keep their types
    }

    [Fact]
    public void WideningAfterTheSampleAddsPropertiesAndWidensOnlyTheTypesTheRecordForces()
    {
        var inferrer = new SchemaInferrer(new InferenceOptions { SampleSize = 1 });
        inferrer.Add(new OrderedDictionary { ["a"] = 1, ["b"] = "x", ["c"] = 1.5 });
        Assert.True(inferrer.IsFull);
        Assert.False(inferrer.Add(new OrderedDictionary { ["a"] = "ignored" })); // the sample's limit holds for Add
        var before = inferrer.Build();
        inferrer.Widen(new OrderedDictionary { ["a"] = 3_000_000_000L, ["late"] = true });
        var after = inferrer.Build();
        Assert.NotEqual(before.FileId, after.FileId);
        Assert.Equal(["a", "b", "c", "late"], after.Record!.Fields.Where(f => !f.IsFlag).Select(f => f.Name));
        Assert.Equal("Int64", Field(after, "a").Type.ToString());
        Assert.Equal("Text", Field(after, "b").Type.ToString());
        Assert.Equal("Float64", Field(after, "c").Type.ToString());
        Assert.Equal("Bool", Field(after, "late").Type.ToString());
        inferrer.Widen(new OrderedDictionary { ["a"] = 7, ["b"] = "y" }); // fits: the schema stays the same
        Assert.Equal(after.FileId, inferrer.Build().FileId);
    }

    [Fact]
    public void ValuesThatDoNotFitTheInferredTypeFailWithATypedException()
    {
        var schema = SchemaInferrer.Infer([new Hashtable { ["n"] = 1 }]);
        var codec = new DictionaryRecordCodec(schema);
        var e = Assert.Throws<InferredValueException>(() => codec.Encode(new Hashtable { ["n"] = "abc" }));
        Assert.Contains("n", e.Message);
        Assert.Throws<InferredValueException>(() => codec.Encode(new Hashtable { ["n"] = 5_000_000_000L }));
    }

    [Fact]
    public void SampleSizeLimitsTheRecordsLookedAt()
    {
        var inferrer = new SchemaInferrer(new InferenceOptions { SampleSize = 2 });
        Assert.True(inferrer.Add(new Hashtable { ["a"] = 1 }));
        Assert.True(inferrer.Add(new Hashtable { ["a"] = 2 }));
        Assert.True(inferrer.IsFull);
        Assert.False(inferrer.Add(new Hashtable { ["a"] = "text" }));
        Assert.Equal("Int32", inferrer.Build().Record!.Fields[0].Type.ToString());
        Assert.Equal(1000, new InferenceOptions().SampleSize);
        Assert.Equal(1, new InferenceOptions().Depth);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SchemaInferrer(new InferenceOptions { Depth = -1 }));
    }

    [Fact]
    public void ScalarRecordsBecomeARecordWithOneValueField()
    {
        var back = InferenceTestSupport.RoundTrip(["a", "b"]);
        Assert.Equal(["a", "b"], back.Select(r => r["Value"]));
    }

    [Fact]
    public void NamesThatAreNotCapnpIdentifiersComeBackUnchanged()
    {
        string[] names = ["Working Set", "struct", "2fast", "größe", "名前", "a", "A", "x.y", "x_y", "", "enum", "Text", "a-b", "a b", "ab"];
        var record = new OrderedDictionary();
        for (int i = 0; i < names.Length; i++) record[names[i]] = i;
        var schema = SchemaInferrer.Infer([record]);
        var ids = schema.Record!.Fields.Select(f => f.Identifier).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(ids, id => Assert.Matches("^[a-z][A-Za-z0-9]*$", id));
        Assert.Equal("workingSet", ids[0]);
        Assert.Equal("structField", ids[1]);
        Assert.Equal("n2fast", ids[2]);
        Assert.Equal("a", ids[5]);
        var back = Assert.Single(InferenceTestSupport.RoundTrip([record]));
        Assert.Equal(names, back.Select(p => p.Key));
        Assert.Equal(Enumerable.Range(0, names.Length).Cast<object>(), back.Select(p => p.Value));
    }

    [Fact]
    public void RootAndFieldNamesAreConfigurable()
    {
        var options = new InferenceOptions { Schema = new InferredSchemaOptions { RootType = "Snap", RecordsField = "procs", FileName = "procs.capnp" } };
        var schema = SchemaInferrer.Infer([new Hashtable { ["a"] = 1 }], options);
        Assert.Equal("Snap", schema.Root.Identifier);
        Assert.Equal("procs", schema.Root.Fields[0].Identifier);
        Assert.Equal("procs.capnp", schema.FileName);
        Assert.Equal(schema.FileId, SchemaInferrer.Infer([new Hashtable { ["a"] = 2 }], options).FileId); // same shape, same ids
        Assert.NotEqual(schema.FileId, SchemaInferrer.Infer([new Hashtable { ["a"] = "x" }], options).FileId);
    }

    [Fact]
    public void ProcessesAndFilesInferWithTheDefaultAdapter()
    {
        // Processes that outlive the test: inferring and writing each read every process, and one that exits in
        // between gains an ExitCode the schema has no type for (CI's own short-lived processes did that).
        System.Diagnostics.Process[] processes = [System.Diagnostics.Process.GetCurrentProcess(), System.Diagnostics.Process.GetProcessById(1)];
        var schema = SchemaInferrer.Infer(processes);
        Assert.Equal(TypeKind.Int32, schema.Record!.FindField("Id")!.Type.Kind);
        Assert.Equal("DateTime:Local", schema.Record.FindField("StartTime")!.Clr!.ToString());
        var back = InferenceTestSupport.RoundTrip(processes);
        Assert.Equal(processes.Select(p => (object)p.Id), back.Select(r => r["Id"]));

        var files = new DirectoryInfo(AppContext.BaseDirectory).GetFileSystemInfos();
        var fileBack = InferenceTestSupport.RoundTrip(files);
        Assert.Equal(files.Select(f => f.FullName), fileBack.Select(r => (string)r["FullName"]!));
        Assert.Equal(files.Select(f => (object)f.Attributes), fileBack.Select(r => r["Attributes"]));
        Assert.Equal(files.Select(f => (object)f.LastWriteTime), fileBack.Select(r => r["LastWriteTime"]));
    }

    /// <summary>An object graph that fans out forever: every node has three nodes below it, made as they are read.</summary>
    public sealed class FanningNode
    {
        public int Level { get; init; }
        public FanningNode A => new() { Level = Level + 1 };
        public FanningNode B => new() { Level = Level + 1 };
        public FanningNode C => new() { Level = Level + 1 };
    }

    [Fact]
    public void AnObjectGraphThatFansOutStopsAtTheStructBudget()
    {
        // -Depth 10 over three branches per level is 88,572 structs; the budget stops the walk long before. (Its
        // 354,292 values are past the budget of values per record, which would refuse it: off here, to see the other.)
        var schema = SchemaInferrer.Infer([new FanningNode()], new InferenceOptions { Depth = 10, MaxStructs = 40, MaxValuesPerRecord = int.MaxValue });
        var structs = new List<InferredStruct>();
        void Walk(InferredStruct s)
        {
            structs.Add(s);
            foreach (var f in s.Fields)
                if (f.Type.Struct is { } nested) Walk(nested);
        }
        Walk(schema.Record!);
        Assert.Equal(41, structs.Count); // the record and 40 nested ones
        Assert.Contains(structs, s => s.Fields.Any(f => f.Name == "A" && f.Type.Kind == TypeKind.Text)); // cut there: its string
        Assert.Throws<ArgumentOutOfRangeException>(() => new SchemaInferrer(new InferenceOptions { MaxStructs = -1 }));
    }
}
