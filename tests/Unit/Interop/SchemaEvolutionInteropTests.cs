using CapMap.Schema;
using CapMap.Tests.Schema;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Interop;

/// <summary>
/// Messages written by capnp with one version of a schema, read by our reader with another: fields a struct
/// does not have read as their defaults; a list of structs can be read as a list of its first field
/// (the List(T) → List(struct) upgrade the encoding spec allows).
/// </summary>
public class SchemaEvolutionInteropTests
{
    private static SchemaSet Set => InteropSchema.Set;

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    public void OldRecordsReadWithNewSchemaGiveDefaults(int? segmentSize)
    {
        byte[] binary = CapnpTool.JsonToBinary("{\"records\": [{\"id\": \"7\"}, {\"id\": \"18446744073709551615\"}]}", "BatchV0", segmentSize: segmentSize);
        using var message = MessageReader.FromFramedBytes(binary);
        var batch = DynamicValueReader.ReadStruct(message.GetRoot(), Set.GetStruct("Batch"));
        Assert.Null(batch["label"]);
        Assert.Equal(0UL, batch["count"]);
        var records = (IReadOnlyList<object?>)batch["records"]!;
        Assert.Equal(2, records.Count);
        var r1 = (StructValue)records[1]!;
        Assert.Equal(ulong.MaxValue, r1["id"]);
        Assert.Equal(0.0, r1["value"]);
        Assert.Null(r1["name"]);
        Assert.Equal(false, r1["flag"]);

        var list = message.GetRoot().ReadList(0);
        var s = list.GetStruct(0);
        Assert.Equal((1, 0), (s.DataWordCount, s.PointerCount));
        Assert.Equal(7UL, s.ReadUInt64(0));
        Assert.Equal(0UL, s.ReadUInt64(1));          // beyond the data section
        Assert.Equal(42.0, s.ReadFloat64(1, 42.0));  // ... reads as the default
        Assert.True(s.ReadBool(128, true));
        Assert.True(s.IsPointerNull(0));             // beyond the pointer section
        Assert.Null(s.ReadText(0));
        Assert.Equal(0, s.ReadList(3).Count);
        Assert.Equal(0, s.ReadStruct(0).DataWordCount);
    }

    [Fact]
    public void NewRecordsReadWithOldSchemaIgnoreExtraFields()
    {
        byte[] binary = CapnpTool.JsonToBinary(
            JsonValues.ToCapnpJson(InteropVectors.Batch(5), Set.GetStruct("Batch")), "Batch", segmentSize: 2);
        using var message = MessageReader.FromFramedBytes(binary);
        var old = DynamicValueReader.ReadStruct(message.GetRoot(), Set.GetStruct("BatchV0"));
        var records = (IReadOnlyList<object?>)old["records"]!;
        Assert.Equal(new object[] { 0UL, 1000003UL, 2000006UL, 3000009UL, 4000012UL }, records.Select(r => ((StructValue)r!)["id"]));
        Assert.Single((StructValue)records[0]!);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    public void StructListReadAsPrimitiveAndTextList(int? segmentSize)
    {
        byte[] binary = CapnpTool.JsonToBinary(
            "{\"values\": [{\"value\": -1, \"text\": \"a\"}, {\"value\": 2}, {\"value\": 2147483647, \"text\": \"c\"}]," +
            " \"names\": [{\"text\": \"x\"}, {\"value\": 5}, {\"text\": \"z\"}]}", "ListsV1", segmentSize: segmentSize);
        using var message = MessageReader.FromFramedBytes(binary);
        var v0 = DynamicValueReader.ReadStruct(message.GetRoot(), Set.GetStruct("ListsV0"));
        Assert.Equal(new object[] { -1, 2, int.MaxValue }, (IReadOnlyList<object?>)v0["values"]!);
        Assert.Equal(new object?[] { "x", null, "z" }, (IReadOnlyList<object?>)v0["names"]!);
    }

    [Fact]
    public void PrimitiveListReadAsStructList()
    {
        // The reverse direction (an old List(Int32) read with the new List(Wrapped) schema) is also defined:
        // each element reads as a struct whose data section holds just that element.
        byte[] binary = CapnpTool.JsonToBinary("{\"values\": [10, -20, 30], \"names\": [\"p\", \"q\"]}", "ListsV0");
        using var message = MessageReader.FromFramedBytes(binary);
        var v1 = DynamicValueReader.ReadStruct(message.GetRoot(), Set.GetStruct("ListsV1"));
        var values = (IReadOnlyList<object?>)v1["values"]!;
        Assert.Equal(new object[] { 10, -20, 30 }, values.Select(x => ((StructValue)x!)["value"]));
        Assert.All(values, x => Assert.Null(((StructValue)x!)["text"]));
        var names = (IReadOnlyList<object?>)v1["names"]!;
        Assert.Equal(new object?[] { "p", "q" }, names.Select(x => ((StructValue)x!)["text"]));
        Assert.All(names, x => Assert.Equal(0, ((StructValue)x!)["value"]));
    }
}
