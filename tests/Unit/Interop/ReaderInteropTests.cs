using System.Text;
using CapMap.IO;
using CapMap.Schema;
using CapMap.Tests.Schema;
using CapMap.Wire;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace CapMap.Tests.Interop;

/// <summary>
/// Interop direction (b): messages written by the reference implementation (<c>capnp convert json:binary</c>, also
/// with a small <c>--segment-size</c> so they are multi-segment with far pointers) read back by our
/// <see cref="MessageReader"/> and schema model must give the values of the JSON.
/// </summary>
public class ReaderInteropTests(ITestOutputHelper output)
{
    private static StructSchema AllTypes => InteropSchema.AllTypes;

    public static TheoryData<string, int> Vectors()
    {
        var data = new TheoryData<string, int>();
        foreach (var (name, _) in InteropVectors.All())
            foreach (int seg in new[] { 0, 1, 2, 8, 64 })
                data.Add(name, seg);
        return data;
    }

    /// <summary>Encodes with capnp, reads with our reader, compares with the JSON we fed in and with capnp's own decoding.</summary>
    private StructValue RoundTrip(Dictionary<string, object?> value, StructSchema schema, string rootType, int? segmentSize, Action<MessageReader>? check = null)
    {
        string json = JsonValues.ToCapnpJson(value, schema);
        byte[] binary = CapnpTool.JsonToBinary(json, rootType, segmentSize: segmentSize);
        using var message = MessageReader.FromFramedBytes(binary);
        check?.Invoke(message);
        var actual = DynamicValueReader.ReadStruct(message.GetRoot(), schema);
        try
        {
            // Every value we gave equals what our reader returns ...
            JsonValues.AssertStruct(JsonValues.Parse(json), actual, schema, exact: true);
            // ... and our reader agrees with capnp's own decoding of the same bytes, field for field.
            JsonValues.AssertStruct(JsonValues.Parse(CapnpTool.BinaryToJson(binary, rootType)), actual, schema, exact: true);
        }
        catch
        {
            output.WriteLine($"JSON input: {json}");
            output.WriteLine($"segment size {segmentSize?.ToString() ?? "default"}, {message.SegmentCount} segments");
            output.WriteLine($"read back: {actual}");
            throw;
        }
        return actual;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void AllTypesVectorsReadBackAsWritten(string vector, int segmentSize)
    {
        var value = InteropVectors.All().Single(v => v.Name == vector).Value;
        RoundTrip(value, AllTypes, "AllTypes", segmentSize == 0 ? null : segmentSize, m =>
        {
            if (segmentSize == 0) Assert.Equal(1, m.SegmentCount);
            else if (segmentSize <= 2 && vector != "empty") Assert.True(m.SegmentCount > 1, $"expected a multi-segment message, got {m.SegmentCount}");
        });
    }

    [Fact]
    public void FullVectorValuesViaTypedReaderApi()
    {
        // The same checks without DynamicValueReader: StructReader/ListReader with the offsets from the schema.
        byte[] binary = CapnpTool.JsonToBinary(InteropVectors.Json(InteropVectors.Full()), "AllTypes", segmentSize: 1);
        using var message = MessageReader.FromFramedBytes(binary);
        Assert.True(message.SegmentCount > 10);
        var root = message.GetRoot();
        Assert.Equal(AllTypes.DataWordCount, root.DataWordCount);
        Assert.Equal(AllTypes.PointerCount, root.PointerCount);
        int Off(string name) => (int)AllTypes.GetField(name).Offset;

        Assert.True(root.ReadBool(Off("boolField")));
        Assert.Equal((sbyte)-100, root.ReadInt8(Off("int8Field")));
        Assert.Equal((short)-30000, root.ReadInt16(Off("int16Field")));
        Assert.Equal(-2000000000, root.ReadInt32(Off("int32Field")));
        Assert.Equal(-8000000000000000000L, root.ReadInt64(Off("int64Field")));
        Assert.Equal((byte)250, root.ReadUInt8(Off("uInt8Field")));
        Assert.Equal((ushort)65000, root.ReadUInt16(Off("uInt16Field")));
        Assert.Equal(4000000001u, root.ReadUInt32(Off("uInt32Field")));
        Assert.Equal(ulong.MaxValue, root.ReadUInt64(Off("uInt64Field")));
        Assert.Equal(3.25f, root.ReadFloat32(Off("float32Field")));
        Assert.Equal(-1.0e-300, root.ReadFloat64(Off("float64Field")));
        Assert.Equal("héllo wörld € 😀 \"quoted\" \\ tab\t nl\n", root.ReadText(Off("textField")));
        Assert.Equal(new byte[] { 0, 1, 2, 0x7f, 0x80, 0xfe, 0xff }, root.ReadData(Off("dataField")));
        Assert.Equal((ushort)3, root.ReadUInt16(Off("enumField")));

        // XOR-with-default fields, read raw (default 0) and with their defaults.
        Assert.False(root.ReadBool(Off("defaultBool"), true));
        Assert.True(root.ReadBool(Off("defaultBool")));                       // stored as false ^ true
        Assert.Equal(0, root.ReadInt32(Off("defaultInt32"), 123456));
        Assert.Equal(123456, root.ReadInt32(Off("defaultInt32")));
        Assert.Equal((short)1234, root.ReadInt16(Off("defaultInt16"), -1234));
        Assert.Equal(9000000000L, root.ReadInt64(Off("defaultInt64"), -9000000000L));
        Assert.Equal(1UL, root.ReadUInt64(Off("defaultUInt64"), 18000000000000000000UL));
        Assert.Equal(0f, root.ReadFloat32(Off("defaultFloat32"), 1.5f));
        Assert.Equal(2.25e10, root.ReadFloat64(Off("defaultFloat64"), -2.25e10));
        Assert.Equal((ushort)0, root.ReadUInt16(Off("defaultEnum"), 2));

        var inner = root.ReadStruct(Off("structField"));
        Assert.Equal(42u, inner.ReadUInt32(0));
        Assert.Equal("inner", inner.ReadText(0));
        var tags = inner.ReadList(1);
        Assert.Equal(3, tags.Count);
        Assert.Equal(new[] { "x", "", "z" }, Enumerable.Range(0, 3).Select(i => tags.GetText(i)));
        Assert.Equal((byte)9, inner.ReadStruct(2).ReadUInt8(0));
        Assert.False(inner.ReadStruct(2).ReadBool(8, true));

        var voids = root.ReadList(Off("voidList"));
        Assert.Equal((3, ElementSize.Void), (voids.Count, voids.ElementSize));
        var bools = root.ReadList(Off("boolList"));
        Assert.Equal(ElementSize.Bit, bools.ElementSize);
        Assert.Equal(new[] { true, false, true, true, false, false, false, false, true, true }, Enumerable.Range(0, bools.Count).Select(bools.GetBool));
        var i8 = root.ReadList(Off("int8List"));
        Assert.Equal(new sbyte[] { -128, -1, 0, 1, 127 }, Enumerable.Range(0, i8.Count).Select(i8.GetInt8));
        var u16 = root.ReadList(Off("uInt16List"));
        Assert.Equal(new ushort[] { 0, 1, 65535, 12345 }, Enumerable.Range(0, u16.Count).Select(u16.GetUInt16));
        var i32 = root.ReadList(Off("int32List"));
        Assert.Equal(new[] { int.MinValue, -1, 0, 1, int.MaxValue }, Enumerable.Range(0, i32.Count).Select(i32.GetInt32));
        var i64 = root.ReadList(Off("int64List"));
        Assert.Equal(new[] { long.MinValue, -1L, 0L, long.MaxValue }, Enumerable.Range(0, i64.Count).Select(i64.GetInt64));
        var f64 = root.ReadList(Off("float64List"));
        Assert.Equal(Math.PI, f64.GetFloat64(5));
        var data = root.ReadList(Off("dataList"));
        Assert.Equal(new byte[] { 0xde, 0xad, 0xbe, 0xef }, data.GetData(2));
        var structs = root.ReadList(Off("structList"));
        Assert.Equal((3, ElementSize.InlineComposite), (structs.Count, structs.ElementSize));
        Assert.Equal(3u, structs.GetStruct(2).ReadUInt32(0));
        Assert.Equal((byte)255, structs.GetStruct(2).ReadStruct(2).ReadUInt8(0));
        var nested = root.ReadList(Off("int32ListList"));
        Assert.Equal(3, nested.Count);
        Assert.Equal(0, nested.GetList(1).Count);
        Assert.Equal(-7, nested.GetList(2).GetInt32(0));

        // Unions.
        Assert.Equal((ushort)3, root.ReadUInt16((int)AllTypes.DiscriminantOffset));
        Assert.Equal(77u, root.ReadStruct(Off("choiceStruct")).ReadUInt32(0));
        var shape = AllTypes.GetField("shape").GroupType!;
        Assert.Equal((ushort)3, root.ReadUInt16((int)shape.DiscriminantOffset));
        Assert.Equal("a shape", root.ReadText((int)shape.GetField("label").Offset));

        // Null pointers.
        Assert.False(root.IsPointerNull(Off("textField")));
        Assert.True(structs.GetStruct(0).IsPointerNull(1));   // Inner(1).tags
        Assert.Null(structs.GetStruct(0).ReadList(1).Count == 0 ? null : "non-empty");
        Assert.Null(structs.GetStruct(1).ReadText(0));
    }

    [Fact]
    public void EmptyMessageReadsDefaults()
    {
        byte[] binary = CapnpTool.JsonToBinary("{}", "AllTypes");
        using var message = MessageReader.FromFramedBytes(binary);
        var v = DynamicValueReader.ReadStruct(message.GetRoot(), AllTypes);
        Assert.Equal("unsetChoice", v.Which);
        Assert.Equal(true, v["defaultBool"]);
        Assert.Equal(-9000000000L, v["defaultInt64"]);
        Assert.Equal(18000000000000000000UL, v["defaultUInt64"]);
        Assert.Equal(1.5f, v["defaultFloat32"]);
        Assert.Equal((ushort)2, v["defaultEnum"]);
        Assert.Equal("hello default", v["defaultText"]);
        Assert.Equal(new byte[] { 1, 2, 0xfe, 0xff }, v["defaultData"]);
        Assert.Same(AllTypes.GetField("defaultStruct").DefaultValue!.Value, v["defaultStruct"]);
        Assert.Null(v["textField"]);
        Assert.Null(v["structField"]);
        Assert.True(message.GetRoot().IsPointerNull((int)AllTypes.GetField("defaultText").Offset));
        var mode = (StructValue)((StructValue)v["settings"]!)["mode"]!;
        Assert.Equal("auto", mode.Which);
        Assert.Equal("circle", ((StructValue)v["shape"]!).Which);
    }

    [Fact]
    public void TextFormatVectorReadsBack()
    {
        const string text = "(int32Field = -17, textField = \"from text\", enumList = [blue, red], " +
                            "shape = (nothing = void), settings = (verbose = true, mode = (manual = 99)), " +
                            "structList = [(id = 5, deep = (level = 6))], defaultText = \"t\")";
        byte[] binary = CapnpTool.TextToBinary(text, "AllTypes", segmentSize: 2);
        using var message = MessageReader.FromFramedBytes(binary);
        var v = DynamicValueReader.ReadStruct(message.GetRoot(), AllTypes);
        Assert.Equal(-17, v["int32Field"]);
        Assert.Equal("from text", v["textField"]);
        Assert.Equal(new object[] { (ushort)2, (ushort)0 }, (IReadOnlyList<object?>)v["enumList"]!);
        Assert.Equal("nothing", ((StructValue)v["shape"]!).Which);
        Assert.Equal(99u, ((StructValue)((StructValue)v["settings"]!)["mode"]!)["manual"]);
        var inner = (StructValue)((IReadOnlyList<object?>)v["structList"]!)[0]!;
        Assert.Equal(5u, inner["id"]);
        Assert.Equal((ushort)1, inner["color"]);
        Assert.Equal((byte)6, ((StructValue)inner["deep"]!)["level"]);
        Assert.Equal(true, ((StructValue)inner["deep"]!)["flag"]);
        Assert.Equal("t", v["defaultText"]);
        JsonValues.AssertStruct(JsonValues.Parse(CapnpTool.BinaryToJson(binary, "AllTypes")), v, AllTypes);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(1, 1)]
    [InlineData(50, 4)]
    [InlineData(2000, 64)]
    public void BatchOfRecordsReadsBack(int count, int? segmentSize)
    {
        var batch = InteropSchema.Set.GetStruct("Batch");
        var v = RoundTrip(InteropVectors.Batch(count), batch, "Batch", segmentSize);
        var records = (IReadOnlyList<object?>)v["records"]!;
        Assert.Equal(count, records.Count);
        for (int i = 0; i < count; i++)
        {
            var r = (StructValue)records[i]!;
            Assert.Equal((ulong)i * 1000003UL, r["id"]);
            Assert.Equal(i % 3 == 0 ? null : $"record {i}", r["name"]);
        }
    }

    [Fact]
    public void ReadsMessageFromFile()
    {
        byte[] binary = CapnpTool.JsonToBinary(InteropVectors.Json(InteropVectors.Full()), "AllTypes", segmentSize: 3);
        string path = Path.Combine(Path.GetTempPath(), $"capmap-interop-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(path, binary);
            using var message = MessageFile.Open(path);
            var v = DynamicValueReader.ReadStruct(message.GetRoot(), AllTypes);
            JsonValues.AssertStruct(JsonValues.Parse(InteropVectors.Json(InteropVectors.Full())), v, AllTypes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RandomAllTypesMessagesReadBackAsWritten()
    {
        Gen.Select(Gen.Int, Gen.OneOfConst<int?>(null, 1, 2, 3, 5, 8, 32)).Sample((seed, segmentSize) =>
        {
            var value = RandomValues.Struct(new Random(seed), AllTypes, depth: 0);
            RoundTrip(value, AllTypes, "AllTypes", segmentSize);
        }, iter: 40, threads: 1);
    }
}

/// <summary>Random values for any struct of a schema, in the representation JsonValues writes.</summary>
internal static class RandomValues
{
    private static readonly string[] Pieces = ["\u0000", "a", "Z", "0", " ", "é", "ß", "€", "四", "😀", "\"", "\\", "\n", "\t", "\u0001", "xyz", ""];

    public static Dictionary<string, object?> Struct(Random r, StructSchema schema, int depth)
    {
        var result = new Dictionary<string, object?>();
        foreach (var f in schema.NonUnionFields)
        {
            if (f.Type.IsPointer && !f.IsGroup && r.Next(4) == 0) continue; // leave some pointers null
            result[f.Name] = f.IsGroup ? Struct(r, f.GroupType!, depth) : Value(r, f.Type, depth);
        }
        if (schema.HasUnion)
        {
            var member = schema.UnionFields[r.Next(schema.UnionFields.Count)];
            result[member.Name] = member.IsGroup ? Struct(r, member.GroupType!, depth) : Value(r, member.Type, depth);
        }
        return result;
    }

    public static object? Value(Random r, TypeSchema type, int depth)
    {
        switch (type.Kind)
        {
            case TypeKind.Void: return null;
            case TypeKind.Bool: return r.Next(2) == 1;
            case TypeKind.Int8: return (sbyte)r.Next(sbyte.MinValue, sbyte.MaxValue + 1);
            case TypeKind.Int16: return (short)r.Next(short.MinValue, short.MaxValue + 1);
            case TypeKind.Int32: return Pick(r, [int.MinValue, int.MaxValue, 0, -1], () => r.Next(int.MinValue, int.MaxValue));
            case TypeKind.Int64: return Pick(r, [long.MinValue, long.MaxValue, 0L], () => r.NextInt64(long.MinValue, long.MaxValue));
            case TypeKind.UInt8: return (byte)r.Next(256);
            case TypeKind.UInt16: return (ushort)r.Next(65536);
            case TypeKind.UInt32: return Pick(r, [uint.MaxValue, 0u], () => (uint)r.NextInt64(0, 1L << 32));
            case TypeKind.UInt64: return Pick(r, [ulong.MaxValue, 0UL], () => (ulong)r.NextInt64(long.MinValue, long.MaxValue));
            case TypeKind.Float32:
                return Pick(r, [float.NaN, float.NegativeInfinity, -0f, float.Epsilon, float.MaxValue],
                    () => BitConverter.Int32BitsToSingle(r.Next(int.MinValue, int.MaxValue)));
            case TypeKind.Float64:
                return Pick(r, [double.NaN, double.PositiveInfinity, -0.0, double.Epsilon, double.MinValue],
                    () => BitConverter.Int64BitsToDouble(r.NextInt64(long.MinValue, long.MaxValue)));
            case TypeKind.Text: return string.Concat(Enumerable.Range(0, r.Next(6)).Select(_ => Pieces[r.Next(Pieces.Length)]));
            case TypeKind.Data:
            {
                var b = new byte[r.Next(12)];
                r.NextBytes(b);
                return b;
            }
            case TypeKind.Enum: return (ushort)r.Next(type.EnumType!.Enumerants.Count);
            case TypeKind.Struct: return Struct(r, type.StructType!, depth + 1);
            case TypeKind.List:
            {
                int n = depth > 2 ? 0 : r.Next(type.ElementType!.Kind is TypeKind.Bool or TypeKind.Void ? 70 : 5);
                return Enumerable.Range(0, n).Select(_ => Value(r, type.ElementType!, depth + 1)).ToArray();
            }
            default: throw new ArgumentException($"no random {type.Kind}");
        }
    }

    private static object Pick<T>(Random r, T[] specials, Func<T> any) where T : notnull =>
        r.Next(4) == 0 ? specials[r.Next(specials.Length)] : any();
}
