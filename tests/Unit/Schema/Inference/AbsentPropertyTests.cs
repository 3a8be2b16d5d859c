using System.Collections.Specialized;
using CapMap.Objects.Codecs;
using CapMap.Schema;
using CapMap.Schema.Inference;
using Xunit;

namespace CapMap.Tests.Schema.Inference;

/// <summary>
/// Absent vs null: a property some records lack gets an absence flag (<c>&lt;id&gt;IsAbsent</c> with
/// <c>$absentFlagFor</c>), so a record that lacked it comes back without it while one that had it null keeps it null.
/// </summary>
public class AbsentPropertyTests
{
    private static OrderedDictionary Record(params (string Name, object? Value)[] properties)
    {
        var d = new OrderedDictionary();
        foreach (var (name, value) in properties) d[name] = value;
        return d;
    }

    [Fact]
    public void APropertySomeRecordLacksGetsAnAbsenceFlagAfterTheNullFlags()
    {
        var schema = SchemaInferrer.Infer([Record(("a", 1), ("b", "x"), ("c", 2)), Record(("a", 2), ("c", null))]);
        var fields = schema.Record!.Fields;
        Assert.Equal(["a", "b", "c", "aIsNull", "cIsNull", "bIsAbsent"], fields.Select(f => f.Identifier));
        Assert.Same(fields[5], fields[1].AbsentFlag);
        Assert.Same(fields[1], fields[5].FlagsAbsenceOf);
        Assert.Null(fields[2].AbsentFlag); // c was in both records, null in one: a null flag is enough
        string text = schema.ToCapnpText();
        Assert.Contains("bIsAbsent @5 :Bool $absentFlagFor(\"b\");", text);
        Assert.Contains("annotation absentFlagFor", text);
        // Read back from its bytes, the flag is linked again.
        var reloaded = InferredSchema.FromSchemaSet(SchemaSet.Load(schema.ToBytes()));
        Assert.Equal("bIsAbsent", reloaded.Record!.Fields[1].AbsentFlag!.Identifier);
    }

    [Fact]
    public void ASchemaWhoseRecordsAllHaveEveryPropertyIsTheSchemaItWasBefore()
    {
        var schema = SchemaInferrer.Infer([Record(("a", 1), ("b", null)), Record(("a", 2), ("b", "x"))]);
        Assert.False(schema.HasAbsentFlags);
        // The annotation is declared only where used, so such schemas keep their text and file id.
        Assert.DoesNotContain("absentFlagFor", schema.ToCapnpText());
    }

    [Fact]
    public void ARecordComesBackWithoutWhatItLackedAndWithWhatItHadNull()
    {
        var records = new object?[]
        {
            Record(("a", 1), ("b", null), ("c", "x")),
            Record(("a", 2)),
            Record(("c", "y"), ("a", 3)),
        };
        var back = InferenceTestSupport.RoundTrip(records);
        Assert.Equal([("a", (object?)1), ("b", null), ("c", "x")], back[0].Select(p => (p.Key, p.Value)));
        Assert.Equal([("a", (object?)2)], back[1].Select(p => (p.Key, p.Value)));
        Assert.Equal(["a", "c"], back[2].Select(p => p.Key)); // the struct's order: fields are not reordered per record
    }

    [Fact]
    public void TheRowReaderGivesEachRecordItsOwnProperties()
    {
        var records = new object?[] { Record(("a", 1), ("b", null)), Record(("a", 2)) };
        var schema = SchemaInferrer.Infer(records);
        byte[] bytes = InferenceTestSupport.WriteMessage(new InferredRecordCodec(schema), records);
        var reader = new InferredRowReader(schema, schema.ToSchemaSet());
        Assert.True(reader.HavePropertiesOfTheirOwn);
        using var message = CapMap.Wire.MessageReader.FromFramedBytes(bytes);
        var list = message.GetRoot().ReadList((int)schema.Root.Fields[0].Offset);
        var first = (OrderedDictionary)reader.Read(list.GetStruct(0));
        var second = (OrderedDictionary)reader.Read(list.GetStruct(1));
        Assert.Equal(["a", "b"], first.Keys.Cast<string>());
        Assert.Null(first["b"]);
        Assert.Equal(["a"], second.Keys.Cast<string>());
    }

    [Fact]
    public void CapnpSeesTheFlagAsABool()
    {
        var records = new object?[] { Record(("a", 1), ("b", 5)), Record(("a", 2)) };
        var schema = SchemaInferrer.Infer(records);
        var json = InferenceTestSupport.ConvertWithCapnp(schema, InferenceTestSupport.WriteMessage(new InferredRecordCodec(schema), records));
        Assert.True(json[1].GetProperty("bIsAbsent").GetBoolean());
        Assert.False(json[0].GetProperty("bIsAbsent").GetBoolean()); // false, the default: present (so other programs' records read as present)
    }
}
