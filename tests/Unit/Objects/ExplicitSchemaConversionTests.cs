using System.Net;
using CapMap.Objects;
using CapMap.Schema;
using CapMap.Schema.Inference;
using Xunit;
using static CapMap.Tests.Objects.ObjectTestSupport;

namespace CapMap.Tests.Objects;

/// <summary>
/// The conversions an explicit schema shares with inferred ones (docs/object-conversion.md, "Explicit schemas"):
/// dates, durations, Guids, .NET enums, single values for lists, throwing getters and blank union cells.
/// </summary>
public class ExplicitSchemaConversionTests
{
    private static object? Field(string name, object? value) => RoundTrip(AllTypes, H((name, value)))[name];

    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    // ---- DateTime and DateTimeOffset -----------------------------------------------------------------------

    [Fact]
    public void A_utc_DateTime_goes_into_Int64_as_ticks_since_the_unix_epoch()
    {
        var instant = new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc).AddTicks(3);
        long expected = 1714557600L * TicksPerSecond + 3;
        Assert.Equal(expected, Field("int64Field", instant));
        Assert.Equal(0L, Field("int64Field", DateTime.UnixEpoch));
        Assert.Equal(-TicksPerSecond, Field("int64Field", DateTime.UnixEpoch.AddSeconds(-1)));
    }

    [Fact]
    public void A_local_DateTime_is_stored_as_its_utc_instant_and_an_unspecified_one_as_utc()
    {
        var local = new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Local);
        Assert.Equal(local.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks, Field("int64Field", local));
        var unspecified = new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Unspecified);
        Assert.Equal(unspecified.Ticks - DateTime.UnixEpoch.Ticks, Field("int64Field", unspecified));
    }

    [Fact]
    public void The_Int64_unit_is_the_one_inferred_schemas_use()
    {
        var instant = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc).AddTicks(7);
        object inferred = ClrTypeTable.Encode(instant, TypeKind.Int64, ClrTypeTable.Classify(instant), "t");
        Assert.Equal(inferred, Field("int64Field", instant));
        // ... and what the inferred reader decodes it with gives the same instant back.
        Assert.Equal(instant, ClrTypeTable.Decode(Field("int64Field", instant), ClrTypeTable.Classify(instant)!, "t"));
    }

    [Fact]
    public void A_DateTimeOffset_goes_into_Int64_as_its_instant()
    {
        var dto = new DateTimeOffset(2024, 5, 1, 15, 30, 0, TimeSpan.FromHours(5.5));
        Assert.Equal(1714557600L * TicksPerSecond, Field("int64Field", dto));
        Assert.Equal(dto.ToUnixTimeMilliseconds() * TimeSpan.TicksPerMillisecond, Field("int64Field", dto));
    }

    [Fact]
    public void Instants_go_into_UInt64_after_1970_and_are_out_of_range_before()
    {
        Assert.Equal(10UL, Field("uInt64Field", DateTime.UnixEpoch.AddTicks(10)));
        Assert.Contains("out of range for UInt64", Error(AllTypes, H(("uInt64Field", new DateTime(1969, 1, 1, 0, 0, 0, DateTimeKind.Utc))), "uInt64Field").Reason);
        // Ticks of today do not fit 32 bits: an Int32 field is an error, never a silent other unit.
        Assert.Contains("out of range for Int32", Error(AllTypes, H(("int32Field", new DateTime(2024, 1, 1))), "int32Field").Reason);
    }

    [Fact]
    public void Dates_go_into_Text_in_the_round_trip_form()
    {
        Assert.Equal("2024-05-01T10:00:00.0000003Z", Field("textField", new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc).AddTicks(3)));
        Assert.Equal("2024-05-01T10:00:00.0000000", Field("textField", new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Unspecified)));
        Assert.Equal("2024-05-01T15:30:00.0000000+05:30", Field("textField", new DateTimeOffset(2024, 5, 1, 15, 30, 0, TimeSpan.FromHours(5.5))));
        var local = new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Local);
        Assert.Equal(local, DateTime.Parse((string)Field("textField", local)!, null, System.Globalization.DateTimeStyles.RoundtripKind));
    }

    [Fact]
    public void Instants_are_not_floats_bools_or_enums()
    {
        var when = new DateTime(2024, 1, 1);
        Assert.Contains("an instant goes into Int64", Error(AllTypes, H(("float64Field", when)), "float64Field").Reason);
        Assert.Contains("cannot convert", Error(AllTypes, H(("float32Field", DateTimeOffset.UnixEpoch)), "float32Field").Reason);
        Assert.Contains("is not a Bool", Error(AllTypes, H(("boolField", when)), "boolField").Reason);
        Assert.Contains("to enum Color", Error(AllTypes, H(("enumField", when)), "enumField").Reason);
    }

    // ---- TimeSpan ------------------------------------------------------------------------------------------

    [Fact]
    public void A_TimeSpan_goes_into_integers_as_ticks()
    {
        var span = TimeSpan.FromSeconds(90).Add(TimeSpan.FromTicks(5));
        Assert.Equal(span.Ticks, Field("int64Field", span));
        Assert.Equal((uint)TimeSpan.FromMilliseconds(1).Ticks, Field("uInt32Field", TimeSpan.FromMilliseconds(1)));
        Assert.Contains("out of range for Int32", Error(AllTypes, H(("int32Field", TimeSpan.FromDays(1))), "int32Field").Reason);
        Assert.Contains("out of range for UInt64", Error(AllTypes, H(("uInt64Field", TimeSpan.FromTicks(-1))), "uInt64Field").Reason);
    }

    [Fact]
    public void A_TimeSpan_goes_into_floats_as_seconds()
    {
        Assert.Equal(1.5, Field("float64Field", TimeSpan.FromMilliseconds(1500)));
        Assert.Equal(-0.25f, Field("float32Field", TimeSpan.FromMilliseconds(-250)));
        Assert.Equal(1e-7, Field("float64Field", TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void A_TimeSpan_goes_into_Text_in_the_invariant_constant_form()
    {
        Assert.Equal("1.02:03:04.5000000", Field("textField", new TimeSpan(1, 2, 3, 4, 500)));
        Assert.Equal("-00:00:01", Field("textField", TimeSpan.FromSeconds(-1)));
        Assert.Equal(TimeSpan.FromTicks(123456789), TimeSpan.Parse((string)Field("textField", TimeSpan.FromTicks(123456789))!, System.Globalization.CultureInfo.InvariantCulture));
    }

    // ---- Guid and the other table types --------------------------------------------------------------------

    private static readonly Guid SampleGuid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

    [Fact]
    public void A_Guid_goes_into_Data_as_16_bytes_in_RFC_4122_order()
    {
        var bytes = (byte[])Field("dataField", SampleGuid)!;
        Assert.Equal(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), bytes);
        Assert.Equal(SampleGuid, ClrTypeTable.Decode(bytes, ClrTypeInfo.Scalar("Guid"), "g"));
    }

    [Fact]
    public void A_Guid_goes_into_Text_in_its_usual_form()
    {
        Assert.Equal("00112233-4455-6677-8899-aabbccddeeff", Field("textField", SampleGuid));
        Assert.Equal(new object[] { "00112233-4455-6677-8899-aabbccddeeff" }, (IEnumerable<object?>)Field("textList", new object[] { SampleGuid })!);
        Assert.Equal(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), ((IReadOnlyList<object?>)Field("dataList", new object[] { SampleGuid })!)[0]);
    }

    [Fact]
    public void A_Guid_is_not_a_number()
    {
        Assert.Contains("cannot convert", Error(AllTypes, H(("int64Field", SampleGuid)), "int64Field").Reason);
    }

    [Fact]
    public void Versions_uris_and_ip_addresses_go_into_Text_as_inferred_schemas_write_them()
    {
        Assert.Equal("1.2.3.4", Field("textField", new Version(1, 2, 3, 4)));
        Assert.Equal("../a b", Field("textField", new Uri("../a b", UriKind.Relative)));
        Assert.Equal("fe80::1", Field("textField", IPAddress.Parse("fe80::1")));
        Assert.Equal(ClrTypeTable.ToText(IPAddress.Loopback), Field("textField", IPAddress.Loopback));
    }

    // ---- .NET enums ----------------------------------------------------------------------------------------

    private enum Shade { Red, Green, Blue, Alpha }

    [Flags]
    private enum Channels { None = 0, Red = 1, Green = 2, Blue = 4, Alpha = 8 }

    [Fact]
    public void A_dotnet_enum_goes_into_a_capnp_enum_by_name_ignoring_case_not_by_value()
    {
        // Color is red=0, green=1, blue=2, alpha=3; Channels.Blue is 4 but is written as blue (2).
        Assert.Equal((ushort)2, Field("enumField", Shade.Blue));
        Assert.Equal((ushort)2, Field("enumField", Channels.Blue));
        Assert.Equal((ushort)3, Field("enumField", Channels.Alpha));
        Assert.Equal(new object[] { (ushort)0, (ushort)3 }, (IEnumerable<object?>)Field("enumList", new object[] { Channels.Red, Shade.Alpha })!);
    }

    [Fact]
    public void A_combined_flags_value_is_an_error_unless_the_enum_has_that_name()
    {
        var ex = Error(AllTypes, H(("enumField", Channels.Red | Channels.Green)), "enumField");
        Assert.Contains("Red, Green is not an enumerant of Color", ex.Reason);
        Assert.Contains("Red, Green", Error(AllTypes, H(("enumList", new object[] { Channels.Red | Channels.Green })), "enumList[0]").Reason);
        Assert.Contains("None is not an enumerant", Error(AllTypes, H(("enumField", Channels.None)), "enumField").Reason);
    }

    [Fact]
    public void A_dotnet_enum_goes_into_Text_by_name_and_integers_by_value()
    {
        Assert.Equal("Red, Green", Field("textField", Channels.Red | Channels.Green));
        Assert.Equal(3, Field("int32Field", Channels.Red | Channels.Green));
    }

    // ---- Single values into lists --------------------------------------------------------------------------

    [Fact]
    public void A_single_value_goes_into_a_list_as_one_element()
    {
        Assert.Equal(new object[] { 5 }, (IEnumerable<object?>)Field("int32List", 5)!);
        Assert.Equal(new object[] { 7 }, (IEnumerable<object?>)Field("int32List", "7")!);
        Assert.Equal(new object[] { "only" }, (IEnumerable<object?>)Field("textList", "only")!);
        Assert.Equal(new object[] { (ushort)2 }, (IEnumerable<object?>)Field("enumList", "blue")!);
        Assert.Equal(new object[] { true }, (IEnumerable<object?>)Field("boolList", true)!);
        Assert.Equal(new object[] { 1.5 }, (IEnumerable<object?>)Field("float64List", TimeSpan.FromSeconds(1.5))!);
    }

    [Fact]
    public void A_single_object_goes_into_a_struct_list_as_one_element()
    {
        var one = (IReadOnlyList<object?>)Field("structList", H(("id", 4), ("name", "n")))!;
        Assert.Equal(4u, ((StructValue)Assert.Single(one)!)["id"]);
        var plain = (IReadOnlyList<object?>)Field("structList", new { Id = 9 })!;
        Assert.Equal(9u, ((StructValue)Assert.Single(plain)!)["id"]);
    }

    [Fact]
    public void A_single_byte_array_goes_into_a_data_list_as_one_element()
    {
        var data = (IReadOnlyList<object?>)Field("dataList", new byte[] { 1, 2, 3 })!;
        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(data));
    }

    [Fact]
    public void A_blank_string_for_a_list_is_no_list_and_a_bad_single_value_names_element_zero()
    {
        Assert.Null(Field("textList", ""));
        Assert.Contains("out of range for Int8", Error(AllTypes, H(("int8List", 300)), "int8List[0]").Reason);
    }

    // ---- Throwing getters ----------------------------------------------------------------------------------

    private sealed class Flaky
    {
        public int Int32Field => throw new InvalidOperationException("no exit code yet");
        public string TextField => "still written";
        public DateTime Int64Field => DateTime.UnixEpoch.AddTicks(42);
    }

    [Fact]
    public void A_throwing_getter_reads_as_null_and_the_rest_of_the_record_is_written()
    {
        var v = RoundTrip(AllTypes, new Flaky());
        Assert.Equal(0, v["int32Field"]);
        Assert.Equal("still written", v["textField"]);
        Assert.Equal(42L, v["int64Field"]);
        Assert.True(ObjectAdapter.Default.TryGetValue(new Flaky(), "int32Field", out var value));
        Assert.Null(value);
    }

    // ---- Blank strings in unions ---------------------------------------------------------------------------

    [Fact]
    public void A_blank_union_cell_selects_no_member_even_for_Text_and_Void_members()
    {
        // A CSV row has a cell for every member; only the non-blank one is the member.
        var v = RoundTrip(AllTypes, H(("unsetChoice", ""), ("choiceInt", ""), ("choiceText", "hello"), ("choiceFloat", " ")));
        Assert.Equal("choiceText", v.Which);
        Assert.Equal("hello", v["choiceText"]);
        v = RoundTrip(AllTypes, H(("unsetChoice", ""), ("choiceInt", "12"), ("choiceText", ""), ("choiceFloat", "")));
        Assert.Equal("choiceInt", v.Which);
        Assert.Equal(12, v["choiceInt"]);
        var shape = (StructValue)RoundTrip(AllTypes, H(("shape", H(("circle", ""), ("square", ""), ("nothing", "x"), ("label", "")))))["shape"]!;
        Assert.Equal("nothing", shape.Which);
    }

    [Fact]
    public void An_all_blank_union_writes_no_discriminant_so_the_first_member_reads_back()
    {
        var v = RoundTrip(AllTypes, H(("unsetChoice", ""), ("choiceInt", ""), ("choiceText", ""), ("choiceFloat", "")));
        Assert.Equal("unsetChoice", v.Which);
    }

    [Fact]
    public void Two_non_blank_union_cells_are_still_an_error()
    {
        Assert.Contains("'choiceInt' and 'choiceText' are both set",
            Error(AllTypes, H(("choiceInt", "1"), ("choiceText", "x"), ("choiceFloat", "")), "choiceText").Reason);
    }

    [Fact]
    public void Outside_unions_a_blank_string_is_still_empty_Text_and_Data()
    {
        var v = RoundTrip(AllTypes, H(("textField", ""), ("dataField", ""), ("int64Field", "")));
        Assert.Equal("", v["textField"]);
        Assert.Equal(Array.Empty<byte>(), v["dataField"]);
        Assert.Equal(0L, v["int64Field"]);
    }
}
