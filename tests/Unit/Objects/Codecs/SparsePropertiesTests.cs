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
/// Records whose properties vary: properties few records have are entries of one field (<see cref="ClrKind.Properties"/>)
/// instead of a field each, a property first seen after the sample goes there without a new schema, and each record
/// reads back with exactly its own properties in its own order.
/// </summary>
public class SparsePropertiesTests
{
    /// <summary><c>[pscustomobject]@{ id = $n; "k$n" = $n }</c>: a property of its own per record.</summary>
    private static OrderedDictionary Keyed(int n) => new() { ["id"] = n, ["k" + n] = n };

    private static InferredSchema Infer(IEnumerable<object?> records, int sampleSize = 1000) =>
        SchemaInferrer.Infer(records, new InferenceOptions { SampleSize = sampleSize });

    private static List<object> WriteAndRead(InferredSchema schema, IReadOnlyList<object?> records)
    {
        byte[] bytes = InferenceTestSupport.WriteMessage(new InferredRecordCodec(schema), records);
        var reloaded = InferredSchema.FromSchemaSet(SchemaSet.Load(schema.ToBytes()));
        var reader = new InferredRowReader(reloaded, reloaded.ToSchemaSet());
        using var message = MessageReader.FromFramedBytes(bytes);
        var list = message.GetRoot().ReadList((int)schema.Root.Fields[0].Offset);
        return Enumerable.Range(0, list.Count).Select(i => reader.Read(list.GetStruct(i))).ToList();
    }

    private static IEnumerable<KeyValuePair<string, object?>> PropertiesOf(object record) => record switch
    {
        ObjectRecord o => o,
        IDictionary d => d.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, object?>((string)e.Key, e.Value)),
        _ => throw new InvalidOperationException(record.GetType().Name),
    };

    [Fact]
    public void PropertiesOfOneRecordEachAreEntriesOfOneField()
    {
        var schema = Infer(Enumerable.Range(1, 1000).Select(n => (object?)Keyed(n)));
        var record = schema.Record!;
        // id is in every record: a field; the thousand keys of one record each: entries, not a struct of 1,001 fields.
        Assert.Equal(["id", PropertyEntry.FieldName, "idIsNull"], record.Fields.Select(f => f.Name));
        var other = PropertyEntry.FieldOf(record)!;
        Assert.Equal(ClrKind.Properties, other.Clr!.Kind);
        var (key, value, position) = PropertyEntry.FieldsOf(other.Type.Element!.Struct!)!.Value;
        Assert.Equal(TypeKind.Text, key.Type.Kind);
        Assert.Equal(TypeKind.Int32, value.Type.Kind);
        Assert.Equal(TypeKind.UInt32, position.Type.Kind);
        Assert.Contains("$clrType(\"Properties\")", schema.ToCapnpText());
    }

    [Fact]
    public void EachRecordComesBackWithExactlyItsOwnPropertiesInItsOrder()
    {
        var records = Enumerable.Range(1, 100).Select(n => (object?)Keyed(n)).ToList();
        // A rare property before the common one, and two rare ones around it: each record's own order.
        records.Add(new OrderedDictionary { ["first"] = "a", ["id"] = 101 });
        records.Add(new OrderedDictionary { ["x1"] = 1.5, ["id"] = 102, ["x2"] = null });
        var back = WriteAndRead(Infer(records), records);
        Assert.Equal(records.Count, back.Count);
        for (int i = 0; i < records.Count; i++)
        {
            var expected = ((OrderedDictionary)records[i]!).Cast<DictionaryEntry>().Select(e => ((string)e.Key, e.Value));
            // Records that were dictionaries come back as dictionaries, in order ([ordered] in, [ordered] out).
            Assert.Equal(expected, PropertiesOf(back[i]).Select(p => (p.Key, p.Value)));
        }
        Assert.IsType<int>(PropertiesOf(back[5]).Last().Value); // the values keep their own types (a union of kinds here)
        Assert.IsType<double>(PropertiesOf(back[101]).First().Value);
    }

    [Fact]
    public void ObjectsWithRarePropertiesComeBackAsObjectsWithTheirTypeName()
    {
        var records = Enumerable.Range(1, 50).Select(n => (object?)new Bag([new("id", n), new("k" + n, n)])).ToList();
        var schema = SchemaInferrer.Infer(records, new InferenceOptions { Adapter = new BagAdapter() });
        byte[] bytes = InferenceTestSupport.WriteMessage(new InferredRecordCodec(schema, new BagAdapter()), records);
        var reader = new InferredRowReader(schema, new InferredRecordCodec(schema).SchemaSet, typeName: t => "Shown." + t);
        using var message = MessageReader.FromFramedBytes(bytes);
        var third = Assert.IsType<ObjectRecord>(reader.Read(message.GetRoot().ReadList((int)schema.Root.Fields[0].Offset).GetStruct(2)));
        Assert.Equal("Shown.Test.Bag", third.TypeName);
        Assert.Equal([("id", (object?)3), ("k3", 3)], third.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void APropertyFirstSeenAfterTheSampleIsAnEntryWithoutANewSchema()
    {
        var schema = Infer(Enumerable.Range(1, 1000).Select(n => (object?)Keyed(n)));
        // Written with the sample's schema: a new key fits the other properties' entries.
        var late = new OrderedDictionary { ["id"] = 2000, ["k2000"] = 2000 };
        var back = WriteAndRead(schema, [late]);
        Assert.Equal([("id", (object?)2000), ("k2000", 2000)], PropertiesOf(back[0]).Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void AFewOptionalPropertiesStayFields()
    {
        // Seven properties each in one record of a hundred: fewer than SparseProperties.MinCount, so plain fields.
        var records = Enumerable.Range(0, 100).Select(n => (object?)(n < 7 ? new OrderedDictionary { ["id"] = n, ["o" + n] = n } : new OrderedDictionary { ["id"] = n })).ToList();
        var schema = Infer(records);
        Assert.Null(PropertyEntry.FieldOf(schema.Record!));
        Assert.Equal(8, schema.Record!.Fields.Count(f => !f.IsFlag));
    }

    [Fact]
    public void AShapeWhoseNewPropertiesKeepComingAfterTheSampleGetsTheField()
    {
        var inferrer = new SchemaInferrer(new InferenceOptions { SampleSize = 3 });
        for (int n = 1; n <= 3; n++) inferrer.Add(Keyed(n));
        Assert.Null(PropertyEntry.FieldOf(inferrer.Build().Record!)); // three rare properties: fields
        inferrer.Widen(Keyed(4));
        Assert.Null(PropertyEntry.FieldOf(inferrer.Build().Record!)); // the first change adds a field, as before
        inferrer.Widen(Keyed(5));
        var schema = inferrer.Build();
        // The second change: properties first seen after the sample are entries, and the next ones fit without a change.
        var record = schema.Record!;
        Assert.NotNull(PropertyEntry.FieldOf(record));
        Assert.Equal(["id", "k1", "k2", "k3", PropertyEntry.FieldName], record.Fields.Where(f => !f.IsFlag).Select(f => f.Name));
        var back = WriteAndRead(schema, [Keyed(6)]);
        Assert.Equal([("id", (object?)6), ("k6", 6)], PropertiesOf(back[0]).Where(p => p.Value is not null).Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void CapnpReadsTheEntriesAsAListOfKeyValueAndPosition()
    {
        var records = Enumerable.Range(1, 20).Select(n => (object?)Keyed(n)).ToList();
        var schema = Infer(records);
        byte[] bytes = InferenceTestSupport.WriteMessage(new InferredRecordCodec(schema), records);
        var json = InferenceTestSupport.ConvertWithCapnp(schema, bytes);
        var entry = Assert.Single(json[4].GetProperty("otherProperties").EnumerateArray());
        Assert.Equal("k5", entry.GetProperty("key").GetString());
        Assert.Equal(5, entry.GetProperty("value").GetInt32());
        Assert.Equal(1, entry.GetProperty("position").GetInt32());
    }

    /// <summary>An object whose properties are whatever it is given (as a PSCustomObject's are).</summary>
    private sealed record Bag(KeyValuePair<string, object?>[] Properties);

    private sealed class BagAdapter : ObjectAdapter
    {
        public override IEnumerable<KeyValuePair<string, object?>>? GetProperties(object value, bool nested = false) =>
            value is Bag b ? b.Properties : base.GetProperties(value, nested);

        public override string? GetTypeName(object value) => value is Bag ? "Test.Bag" : base.GetTypeName(value);
    }
}
