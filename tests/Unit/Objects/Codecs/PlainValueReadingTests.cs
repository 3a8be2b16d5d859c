using System.Collections;
using System.Numerics;
using CapMap.Objects.Codecs;
using CapMap.Objects.Reading;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Schema.Inference;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Objects.Codecs;

/// <summary>
/// Records that were plain values piped on their own read back as those values, with their .NET types, through the
/// schema the message carries; records of objects (and files written before the Plain rule) stay rows.
/// </summary>
public class PlainValueReadingTests
{
    public static TheoryData<object[]> PlainStreams() => new()
    {
        new object[] { 1, 2, 3 },
        new object[] { "a", "", "b" },
        new object[] { new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Local).AddTicks(1234567), new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Local) },
        new object[] { TimeSpan.FromTicks(12345), TimeSpan.MinValue },
        new object[] { BigInteger.Pow(10, 40), BigInteger.MinusOne },
        new object[] { Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), Guid.Empty },
        new object[] { 1.5, double.NaN, true, 'c', 2.5m, DayOfWeek.Friday },
    };

    [Theory]
    [MemberData(nameof(PlainStreams))]
    public void PlainValuesReadBackAsThemselves(object[] values)
    {
        var back = RoundTrip(values, out _);
        Assert.Equal(values.Length, back.Count);
        for (int i = 0; i < values.Length; i++)
        {
            // A mix of kinds is a union of them: each value comes back as itself too.
            object expected = values[i];
            Assert.Equal(expected.GetType(), back[i]!.GetType());
            Assert.Equal(expected, back[i]);
            if (expected is DateTime d) Assert.Equal(d.Kind, ((DateTime)back[i]!).Kind);
        }
    }

    public sealed class AnObject { public int X { get; init; } = 1; }

    [Fact]
    public void PlainValuesAreReadAtOnceNotAsRowsDecodedLater()
    {
        RoundTrip([1, 2], out var codec);
        Assert.Null(codec.PlanFor(codec.Records).Batch);
        var dictionaries = new InferredRecordCodec(SchemaInferrer.Infer([new Hashtable { ["x"] = 1 }]));
        Assert.Null(dictionaries.PlanFor(dictionaries.Records).Batch); // read back as dictionaries, at once too
        var objects = new InferredRecordCodec(SchemaInferrer.Infer([new AnObject()]));
        Assert.NotNull(objects.PlanFor(objects.Records).Batch);
    }

    [Fact]
    public void RecordsOfAFileFromBeforeThePlainRuleStayRows()
    {
        var record = InferredStruct.WithNullFlags("Record", [new InferredField("Value", InferredType.Of(TypeKind.Int32), ClrTypeInfo.Scalar("Int32"))]);
        var old = new InferredSchema(record, new ClrTypeInfo(ClrKind.Object));
        var back = Read(old, InferenceTestSupport.WriteMessage(new InferredRecordCodec(old), [7, 8]));
        Assert.Equal([7, 8], back.Select(r => Assert.IsAssignableFrom<Row>(r)).Select(r => r.GetType().GetProperty("Value")!.GetValue(r)));
    }

    [Fact]
    public void AnObjectAfterASampleOfPlainValuesIsRefusedNotWrittenEmpty()
    {
        var codec = new InferredRecordCodec(SchemaInferrer.Infer([1, 2]));
        var e = Assert.Throws<InferredValueException>(() => InferenceTestSupport.WriteMessage(codec, [3, new Hashtable { ["x"] = 1 }]));
        Assert.Contains("plain values (Int32)", e.Message);
    }

    private static List<object?> RoundTrip(object[] values, out InferredRecordCodec reloadedCodec)
    {
        var schema = SchemaInferrer.Infer(values);
        byte[] message = InferenceTestSupport.WriteMessage(new InferredRecordCodec(schema), values);
        // Read by the model the message's schema bytes give, as Import-CapnpMessage reads a file.
        var reloaded = InferredSchema.FromSchemaSet(SchemaSet.Load(schema.ToBytes()));
        reloadedCodec = new InferredRecordCodec(reloaded);
        return Read(reloaded, message);
    }

    private static List<object?> Read(InferredSchema schema, byte[] message)
    {
        var reader = new InferredRowReader(schema, new InferredRecordCodec(schema).SchemaSet);
        using var bytes = MessageReader.FromFramedBytes(message);
        var list = bytes.GetRoot().ReadList((int)schema.Root.Fields[0].Offset);
        return Enumerable.Range(0, list.Count).Select(i => (object?)reader.Read(list.GetStruct(i))).ToList();
    }
}
