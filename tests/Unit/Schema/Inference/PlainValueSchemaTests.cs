using System.Collections;
using CapMap.Schema;
using CapMap.Schema.Inference;
using Xunit;

namespace CapMap.Tests.Schema.Inference;

/// <summary>
/// Plain values piped on their own (numbers, strings, dates: the type table's scalars) make records that say so:
/// the records list's <c>clrType</c> is <c>Sequence(Plain)</c>, the record struct keeps its one field <c>Value</c>,
/// and the model read back from the schema's bytes names that field (<see cref="InferredSchema.PlainValueField"/>).
/// </summary>
public class PlainValueSchemaTests
{
    [Fact]
    public void PlainValuesMakeRecordsMarkedPlainInTheModelTheTextAndTheBytes()
    {
        var schema = SchemaInferrer.Infer([1, 2, 3]);
        Assert.Equal("Sequence(Plain)", schema.Root.Fields[0].Clr!.ToString());
        var value = Assert.IsType<InferredField>(schema.PlainValueField);
        Assert.Equal("Value", value.Name);
        Assert.Equal("Int32", value.Clr!.ToString());
        Assert.Equal(["Value", "valueIsNull"], schema.Record!.Fields.Select(f => f.Name));
        Assert.Contains("records @0 :List(Record) $clrType(\"Sequence(Plain)\");", schema.ToCapnpText());

        var reloaded = InferredSchema.FromSchemaSet(SchemaSet.Load(schema.ToBytes()));
        Assert.Equal("Value", reloaded.PlainValueField?.Name);
        Assert.Equal("Int32", reloaded.PlainValueField!.Clr!.ToString());
    }

    [Fact]
    public void NullRecordsTellNothingAndNullsAloneStayObjects()
    {
        var plain = SchemaInferrer.Infer([null, "a", null, ""]);
        Assert.Equal("String", plain.PlainValueField?.Clr?.ToString());

        var onlyNulls = SchemaInferrer.Infer([null, null]);
        Assert.Null(onlyNulls.PlainValueField);
        Assert.Equal("Sequence(Object)", onlyNulls.Root.Fields[0].Clr!.ToString());
    }

    [Fact]
    public void OneObjectOrListAmongPlainValuesMakesTheRecordsObjectsAsBefore()
    {
        var mixed = SchemaInferrer.Infer([1, "a", new Hashtable { ["x"] = 1 }]);
        Assert.Null(mixed.PlainValueField);
        Assert.Equal("Sequence(Object)", mixed.Root.Fields[0].Clr!.ToString());
        // Each record has one of the two: both may be absent, so each comes back with only the one it had.
        Assert.Equal(["Value", "x", "xIsNull", "valueIsAbsent", "xIsAbsent"], mixed.Record!.Fields.Select(f => f.Name));
        Assert.Equal("Union", mixed.Record.Fields[0].Clr!.ToString()); // 1 and "a" keep their kinds

        var objectFirst = SchemaInferrer.Infer([new Hashtable { ["x"] = 1 }, 2]);
        Assert.Null(objectFirst.PlainValueField);

        var lists = SchemaInferrer.Infer([1, new[] { 2, 3 }]);
        Assert.Null(lists.PlainValueField);
    }

    [Fact]
    public void RecordsInferredBeforePlainExistedStayRecords()
    {
        // What a file written before this rule carries: the same record struct, its records said to be objects.
        var record = InferredStruct.WithNullFlags("Record", [new InferredField("Value", InferredType.Of(TypeKind.Int32), ClrTypeInfo.Scalar("Int32"))]);
        var old = new InferredSchema(record, new ClrTypeInfo(ClrKind.Object));
        Assert.Null(old.PlainValueField);
        Assert.Null(InferredSchema.FromSchemaSet(SchemaSet.Load(old.ToBytes())).PlainValueField);
    }

    [Fact]
    public void PlainRecordsWithoutExactlyOneValueFieldReadAsRecords()
    {
        // Only a crafted schema says Plain over a struct of two values: nothing is dropped, its records stay records.
        var record = InferredStruct.WithNullFlags("Record", [
            new InferredField("Value", InferredType.Of(TypeKind.Int32), ClrTypeInfo.Scalar("Int32")),
            new InferredField("Other", InferredType.Of(TypeKind.Text), ClrTypeInfo.Scalar("String"))]);
        Assert.Null(new InferredSchema(record, new ClrTypeInfo(ClrKind.Plain)).PlainValueField);
    }
}
