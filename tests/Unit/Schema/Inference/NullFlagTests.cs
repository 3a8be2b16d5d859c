using System.Collections.Specialized;
using CapMap.Objects.Codecs;
using CapMap.Schema;
using CapMap.Schema.Inference;
using Xunit;

namespace CapMap.Tests.Schema.Inference;

/// <summary>
/// Null flags: a data-section field of an inferred struct (Bool, numbers, DateTime as Int64 ...) has a companion
/// Bool <c>&lt;identifier&gt;IsNull</c> after all regular fields, so a null or missing value reads back as null, not 0.
/// </summary>
public class NullFlagTests
{
    public sealed class Throwing
    {
        public string Name { get; init; } = "t";
        public int Broken => throw new InvalidOperationException("no value yet");
    }

    private static readonly (string Name, object Value)[] DataRows = TypeTableTests.Rows
        .Where(r => r.Capnp is not ("Text" or "Data") && !r.Capnp.StartsWith("List", StringComparison.Ordinal) && !r.Capnp.StartsWith("Record", StringComparison.Ordinal))
        .Select(r => (r.Name, r.Value))
        .ToArray();

    [Fact]
    public void EveryDataKindRoundTripsNullAsNullZeroAsZeroAndMissingAsAbsent()
    {
        Assert.True(DataRows.Length >= 15, $"only {DataRows.Length} data rows");
        var full = new OrderedDictionary();
        var nulls = new OrderedDictionary();
        var zeros = new OrderedDictionary();
        foreach (var (name, value) in DataRows)
        {
            full[name] = value;
            nulls[name] = null;
            // 0 for the primitives; a DateTime's "0" would not keep its column's kind, so it keeps its value.
            zeros[name] = value.GetType().IsPrimitive ? Activator.CreateInstance(value.GetType()) : value;
        }
        var missing = new OrderedDictionary { ["other"] = "x" };
        var back = InferenceTestSupport.RoundTrip([full, nulls, zeros, missing]);

        foreach (var (name, value) in DataRows)
        {
            TypeTableTests.AssertSameValue(value, back[0][name], name);
            Assert.True(back[1][name] is null, $"{name}: null came back as {back[1][name]}");
            TypeTableTests.AssertSameValue(zeros[name], back[2][name], name + " (zero)");
            Assert.DoesNotContain(back[3], p => p.Key == name); // the record did not have it: absent, not null
        }
    }

    [Fact]
    public void FlagsFollowTheRegularFieldsAndNeverShowAsProperties()
    {
        var records = new object[] { new OrderedDictionary { ["Length"] = 5L, ["Name"] = "a", ["On"] = true } };
        var schema = SchemaInferrer.Infer(records);
        var fields = schema.Record!.Fields;
        Assert.Equal(["length", "name", "on", "lengthIsNull", "onIsNull"], fields.Select(f => f.Identifier));
        Assert.Same(fields[3], fields[0].NullFlag);
        Assert.Same(fields[0], fields[3].FlagsNullOf);
        Assert.Null(fields[1].NullFlag);

        // The regular fields sit exactly where they would without flags.
        var plain = new InferredStruct("Record", fields.Take(3).Select(f => new InferredField(f.Name, f.Type, f.Clr)));
        Assert.Equal(plain.Fields.Select(f => (f.Identifier, f.Offset)), fields.Take(3).Select(f => (f.Identifier, f.Offset)));

        var back = Assert.Single(InferenceTestSupport.RoundTrip(records));
        Assert.Equal(["Length", "Name", "On"], back.Select(p => p.Key));
    }

    [Fact]
    public void AFlagNameThatIsTakenByAPropertyIsNumbered()
    {
        var schema = SchemaInferrer.Infer([new OrderedDictionary { ["Length"] = 1, ["LengthIsNull"] = "text" }]);
        Assert.Equal(["length", "lengthIsNull", "lengthIsNull2"], schema.Record!.Fields.Select(f => f.Identifier));
        Assert.Equal("length", schema.Record.Fields[2].FlagsNullOf!.Identifier);
    }

    [Fact]
    public void TheAnnotationLinksTheFlagWhenTheSchemaIsReadBack()
    {
        var schema = SchemaInferrer.Infer([new OrderedDictionary { ["Size"] = 1, ["Child"] = new OrderedDictionary { ["When"] = DateTime.UtcNow } }]);
        var set = SchemaSet.Load(schema.ToBytes());
        var flag = set.GetStruct("Record").GetField("sizeIsNull");
        Assert.Equal("size", flag.Annotations.Single(a => InferredSchema.IsCapMapAnnotation(a, InferredSchema.NullFlagForAnnotation)).Value.Value);
        var reloaded = InferredSchema.FromSchemaSet(set);
        InferredLayoutPropertyTests.AssertSameModel(schema, reloaded);
        // A dictionary below the record is a map: the entry's value carries the flag.
        var entry = reloaded.Record!.Fields.Single(f => f.Name == "Child").Type.Element!.Struct!;
        Assert.Equal("valueIsNull", entry.Fields.Single(f => f.Name == MapEntry.Value).NullFlag!.Identifier);
        Assert.Contains("$nullFlagFor(\"size\")", schema.ToCapnpText(), StringComparison.Ordinal);
    }

    [Fact]
    public void ASchemaWithoutFlagsReadsZeroAsBefore()
    {
        // Files written before flags existed (and foreign schemas) have no annotation: their values are all "present".
        var record = new InferredStruct("Record", [new InferredField("Size", InferredType.Of(TypeKind.Int32), ClrTypeInfo.Scalar("Int32"))]);
        var schema = InferredSchema.FromSchemaSet(SchemaSet.Load(new InferredSchema(record).ToBytes()));
        Assert.Null(schema.Record!.Fields[0].NullFlag);
        var codec = new InferredRecordCodec(schema);
        var back = InferenceTestSupport.ReadMessage(codec, InferenceTestSupport.WriteMessage(codec, [new OrderedDictionary { ["Size"] = null }]));
        Assert.Equal(0, Assert.Single(back)["Size"]);
    }

    [Fact]
    public void AThrowingGetterReadsBackAsNull()
    {
        var schema = SchemaInferrer.Infer([new OrderedDictionary { ["Name"] = "t", ["Broken"] = 3 }]);
        var codec = new InferredRecordCodec(schema);
        var back = InferenceTestSupport.ReadMessage(codec, InferenceTestSupport.WriteMessage(codec, [new Throwing()]));
        Assert.Null(Assert.Single(back)["Broken"]);
        Assert.Equal("t", back[0]["Name"]);
    }

    [Fact]
    public void CapnpConvertShowsTheFlag()
    {
        var records = new object[]
        {
            new OrderedDictionary { ["Name"] = "file", ["Length"] = 10L },
            new OrderedDictionary { ["Name"] = "dir", ["Length"] = null },
        };
        var schema = SchemaInferrer.Infer(records);
        var items = InferenceTestSupport.ConvertWithCapnp(schema, InferenceTestSupport.WriteMessage(new InferredRecordCodec(schema), records));
        Assert.False(items[0].TryGetProperty("lengthIsNull", out var present) && present.GetBoolean());
        Assert.True(items[1].GetProperty("lengthIsNull").GetBoolean());
        Assert.False(items[1].TryGetProperty("length", out var zero) && zero.GetString() != "0");
    }
}
