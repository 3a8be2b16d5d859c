using System.Collections;
using System.Collections.Specialized;
using System.Net;
using CapMap.Schema;
using CapMap.Schema.Inference;
using Xunit;

namespace CapMap.Tests.Schema.Inference;

/// <summary>Each row of the type table: the Cap'n Proto type it infers to, and the value and .NET type it reads back as.</summary>
public class TypeTableTests
{
    private static readonly DateTime Utc = new DateTime(2024, 5, 1, 10, 20, 30, DateTimeKind.Utc).AddTicks(1234567);
    private static readonly DateTime Local = new DateTime(2023, 12, 24, 18, 0, 0, DateTimeKind.Local).AddTicks(7);
    private static readonly DateTime Unspecified = new(1999, 1, 2, 3, 4, 5, DateTimeKind.Unspecified);
    private static readonly Guid SomeGuid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    public sealed class Nested
    {
        public string Name { get; init; } = "inner";
        public int Size { get; init; } = 42;
    }

    /// <summary>(property, value, capnp type, .NET info) for every row.</summary>
    public static readonly (string Name, object Value, string Capnp, string Clr)[] Rows =
    [
        ("bool", true, "Bool", "Boolean"),
        ("sbyte", (sbyte)-5, "Int8", "SByte"),
        ("byte", (byte)250, "UInt8", "Byte"),
        ("short", (short)-30000, "Int16", "Int16"),
        ("ushort", (ushort)60000, "UInt16", "UInt16"),
        ("int", -2_000_000_000, "Int32", "Int32"),
        ("uint", 4_000_000_000u, "UInt32", "UInt32"),
        ("long", long.MinValue, "Int64", "Int64"),
        ("ulong", ulong.MaxValue, "UInt64", "UInt64"),
        ("nint", (nint)(-7), "Int64", "IntPtr"),
        ("nuint", nuint.MaxValue, "UInt64", "UIntPtr"),
        ("int128", Int128.MinValue, "Text", "Int128"),
        ("uint128", UInt128.MaxValue, "Text", "UInt128"),
        ("bigInteger", System.Numerics.BigInteger.Parse("-1234567890123456789012345678901234567890"), "Text", "BigInteger"),
        ("float", 1.5f, "Float32", "Single"),
        ("double", Math.PI, "Float64", "Double"),
        ("half", Half.Epsilon, "Float32", "Half"),
        ("decimal", 79228162514264337593543950335m, "Text", "Decimal"),
        ("decimalScale", 1.50m, "Text", "Decimal"),
        ("string", "héllo \"world\"", "Text", "String"),
        ("char", 'ß', "Text", "Char"),
        ("dateUtc", Utc, "Int64", "DateTime:Utc"),
        ("dateLocal", Local, "Int64", "DateTime:Local"),
        ("dateUnspecified", Unspecified, "Int64", "DateTime:Unspecified"),
        ("dateMin", DateTime.MinValue, "Int64", "DateTime:Unspecified"),
        ("dateMax", DateTime.MaxValue, "Int64", "DateTime:Unspecified"),
        ("dateTimeOffset", new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(5.5)).AddTicks(3), "Text", "DateTimeOffset"),
        ("timeSpan", TimeSpan.FromTicks(-123456789012), "Int64", "TimeSpan"),
        ("guid", SomeGuid, "Data", "Guid"),
        ("version", new Version(1, 2, 3, 4), "Text", "Version"),
        ("uri", new Uri("https://example.org/a b?x=1"), "Text", "Uri"),
        ("relativeUri", new Uri("../x", UriKind.Relative), "Text", "Uri"),
        ("ipv4", IPAddress.Parse("192.168.1.20"), "Text", "IPAddress"),
        ("ipv6", IPAddress.Parse("fe80::1"), "Text", "IPAddress"),
        ("enum", DayOfWeek.Friday, "Text", $"Enum:System.DayOfWeek, {typeof(DayOfWeek).Assembly.GetName().Name}"),
        ("flags", FileAttributes.Hidden | FileAttributes.ReadOnly, "Text", $"Enum:System.IO.FileAttributes, {typeof(FileAttributes).Assembly.GetName().Name}"),
        ("bytes", new byte[] { 0, 1, 2, 255 }, "Data", "Bytes"),
        ("intArray", new[] { 1, 2, 3 }, "List(Int32)", "Array(Int32)"),
        ("emptyGuidArray", Array.Empty<Guid>(), "List(Data)", "Array(Guid)"),
        ("dateArray", new[] { Utc, Utc.AddDays(1) }, "List(Int64)", "Array(DateTime:Utc)"),
        ("stringArray", new[] { "a", null, "c" }, "List(Text)", "Array(String)"),
        ("guidList", new List<Guid> { SomeGuid, Guid.Empty }, "List(Data)", "List(Guid)"),
        ("doubleList", new List<double> { 0.5, -1 }, "List(Float64)", "List(Double)"),
        ("enumArray", new[] { DayOfWeek.Monday, DayOfWeek.Sunday }, "List(Text)", $"Array(Enum:System.DayOfWeek, {typeof(DayOfWeek).Assembly.GetName().Name})"),
        ("objectArray", new object[] { 1, 2L }, "List(Int64)", "Sequence(Int64)"),
        ("bytesArray", new[] { new byte[] { 1 }, new byte[] { 2, 3 } }, "List(Data)", "Array(Bytes)"),
        ("hashtable", new Hashtable { ["k"] = 7 }, "List(RecordHashtableEntry)", "Map"),
        ("ordered", new OrderedDictionary { ["first"] = 1.5, ["second"] = 2.5 }, "List(RecordOrderedEntry)", "Map:Ordered"),
        ("nested", new Nested(), "RecordNested", $"Object:{typeof(Nested).FullName}"),
    ];

    private static OrderedDictionary EveryRow()
    {
        var o = new OrderedDictionary();
        foreach (var r in Rows) o[r.Name] = r.Value;
        return o;
    }

    [Fact]
    public void EveryRowInfersItsCapnpTypeAndDotNetInfo()
    {
        var schema = SchemaInferrer.Infer([EveryRow()]);
        var regular = schema.Record!.Fields.Where(f => !f.IsFlag).ToList();
        Assert.Equal(Rows.Length, regular.Count);
        foreach (var (field, row) in regular.Zip(Rows))
        {
            Assert.Equal(row.Name, field.Name);
            Assert.Equal(row.Capnp, field.Type.ToString());
            Assert.Equal(row.Clr, field.Clr!.ToString());
        }
    }

    [Fact]
    public void EveryRowReadsBackAsItsValueAndType()
    {
        var back = Assert.Single(InferenceTestSupport.RoundTrip([EveryRow()]));
        Assert.Equal(Rows.Length, back.Count);
        foreach (var (property, row) in back.Zip(Rows))
        {
            Assert.Equal(row.Name, property.Key);
            AssertSameValue(row.Value, property.Value, row.Name);
        }
        var local = (DateTime)back["dateLocal"]!;
        Assert.Equal(DateTimeKind.Local, local.Kind);
        Assert.Equal(TimeSpan.FromHours(5.5), ((DateTimeOffset)back["dateTimeOffset"]!).Offset);
        Assert.Equal("1.50", ((decimal)back["decimalScale"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var nested = Assert.IsType<ObjectRecord>(back["nested"]);
        Assert.Equal(typeof(Nested).FullName, nested.TypeName);
        Assert.Equal(["Name", "Size"], nested.Select(p => p.Key));
        Assert.IsType<OrderedDictionary>(back["ordered"]);
        Assert.IsType<Hashtable>(back["hashtable"]);
    }

    internal static void AssertSameValue(object? expected, object? actual, string where)
    {
        switch (expected)
        {
            case null:
                Assert.Null(actual);
                break;
            case Nested n:
                var r = Assert.IsType<ObjectRecord>(actual);
                Assert.Equal(n.Name, r["Name"]);
                Assert.Equal(n.Size, r["Size"]);
                break;
            case IDictionary d:
                var a = Assert.IsAssignableFrom<IDictionary>(actual);
                Assert.Equal(d.Count, a.Count);
                foreach (DictionaryEntry e in d) AssertSameValue(e.Value, a[e.Key], $"{where}.{e.Key}");
                break;
            case byte[] b:
                Assert.Equal(b, Assert.IsType<byte[]>(actual));
                break;
            case IEnumerable e and not string:
                Assert.True(actual is not null, $"{where}: null");
                Assert.True(expected.GetType() == actual!.GetType(), $"{where}: {expected.GetType()} came back as {actual.GetType()}");
                var expectedItems = e.Cast<object?>().ToList();
                var actualItems = ((IEnumerable)actual).Cast<object?>().ToList();
                Assert.Equal(expectedItems.Count, actualItems.Count);
                for (int i = 0; i < expectedItems.Count; i++)
                    AssertSameValue(expectedItems[i] is int or long && expected is object[] ? Convert.ToInt64(expectedItems[i]) : expectedItems[i],
                        actualItems[i], $"{where}[{i}]");
                break;
            default:
                Assert.True(actual is not null, $"{where}: null");
                Assert.True(expected.GetType() == actual!.GetType(), $"{where}: {expected.GetType()} came back as {actual.GetType()}");
                Assert.Equal(expected, actual);
                if (expected is DateTime dt) Assert.Equal(dt.Kind, ((DateTime)actual).Kind);
                break;
        }
    }

    [Fact]
    public void DateTimeIsStoredAsUnixTicksInUtc()
    {
        var schema = SchemaInferrer.Infer([new Hashtable { ["t"] = Utc, ["l"] = Local }]);
        var stored = new DictionaryRecordCodec(schema).Encode(new Hashtable { ["t"] = Utc, ["l"] = Local });
        Assert.Equal((Utc - DateTime.UnixEpoch).Ticks, stored["t"]);
        Assert.Equal((Local.ToUniversalTime() - DateTime.UnixEpoch).Ticks, stored["l"]);
    }

    [Fact]
    public void GuidIsStoredInRfc4122Order()
    {
        var schema = SchemaInferrer.Infer([new Hashtable { ["g"] = SomeGuid }]);
        var stored = (byte[])new DictionaryRecordCodec(schema).Encode(new Hashtable { ["g"] = SomeGuid })["g"]!;
        Assert.Equal("0F8FAD5BD9CB469FA16570867728950E", Convert.ToHexString(stored));
    }

    [Fact]
    public void EnumOfAnUnloadableTypeReadsBackAsItsName()
    {
        var info = ClrTypeInfo.Scalar("Enum", "No.Such.Enum, NoSuchAssembly");
        var record = new InferredStruct("Record", [new InferredField("e", InferredType.Of(TypeKind.Text), info)]);
        var codec = new DictionaryRecordCodec(new InferredSchema(record));
        var back = codec.Decode(new Dictionary<string, object?> { ["e"] = "Value1, Value2" });
        Assert.Equal("Value1, Value2", back["e"]);
    }

    [Fact]
    public void ClrTypeInfoTextRoundTrips()
    {
        foreach (var row in Rows)
            Assert.Equal(row.Clr, ClrTypeInfo.Parse(row.Clr).ToString());
        Assert.Throws<CapnpSchemaException>(() => ClrTypeInfo.Parse("Nonsense"));
        Assert.Throws<CapnpSchemaException>(() => ClrTypeInfo.Parse("Array(Int32"));
        Assert.Throws<CapnpSchemaException>(() => ClrTypeInfo.Parse("Int32(Int32)"));
    }

    /// <summary>The bounds are written out as BigInteger arithmetic (see ClrTypeTable): each must still be its type's own.</summary>
    [Theory]
    [InlineData("SByte")]
    [InlineData("Byte")]
    [InlineData("Int16")]
    [InlineData("UInt16")]
    [InlineData("Int32")]
    [InlineData("UInt32")]
    [InlineData("Int64")]
    [InlineData("UInt64")]
    [InlineData("IntPtr")]
    [InlineData("UIntPtr")]
    [InlineData("Int128")]
    [InlineData("UInt128")]
    public void EachIntegerRowsRangeIsItsTypesOwn(string name)
    {
        var row = ClrTypeTable.Find(name)!;
        var (min, max) = name switch
        {
            "SByte" => ((System.Numerics.BigInteger)sbyte.MinValue, (System.Numerics.BigInteger)sbyte.MaxValue),
            "Byte" => (byte.MinValue, byte.MaxValue),
            "Int16" => (short.MinValue, short.MaxValue),
            "UInt16" => (ushort.MinValue, ushort.MaxValue),
            "Int32" => (int.MinValue, int.MaxValue),
            "UInt32" => (uint.MinValue, uint.MaxValue),
            "Int64" => (long.MinValue, long.MaxValue),
            "UInt64" => (ulong.MinValue, ulong.MaxValue),
            "IntPtr" => (nint.MinValue, nint.MaxValue),
            "UIntPtr" => (nuint.MinValue, nuint.MaxValue),
            "Int128" => ((System.Numerics.BigInteger)Int128.MinValue, (System.Numerics.BigInteger)Int128.MaxValue),
            _ => ((System.Numerics.BigInteger)UInt128.MinValue, (System.Numerics.BigInteger)UInt128.MaxValue),
        };
        Assert.Equal(min, row.Number!.Min);
        Assert.Equal(max, row.Number.Max);
    }
}
