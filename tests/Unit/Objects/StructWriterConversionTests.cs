using System.Collections;
using System.Dynamic;
using System.Globalization;
using System.Numerics;
using CapMap.Objects;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Wire;
using Xunit;
using static CapMap.Tests.Objects.ObjectTestSupport;

namespace CapMap.Tests.Objects;

/// <summary>Every conversion rule of <see cref="StructWriter"/> and every error, with the error's field path.</summary>
public class StructWriterConversionTests
{
    private static object? Field(string name, object? value) => RoundTrip(AllTypes, H((name, value)))[name];

    // ---- Integers ------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("int8Field", -128, (sbyte)-128)]
    [InlineData("int16Field", "-32768", (short)-32768)]
    [InlineData("int32Field", " 42 ", 42)]
    [InlineData("int32Field", "0x1F", 31)]
    [InlineData("int32Field", "-0x1F", -31)]
    [InlineData("int32Field", "0X7fffffff", int.MaxValue)]
    [InlineData("int32Field", "2.0", 2)]
    [InlineData("int32Field", "1e3", 1000)]
    [InlineData("int32Field", 7.0, 7)]
    [InlineData("int32Field", 7.0f, 7)]
    [InlineData("int64Field", "-9223372036854775808", long.MinValue)]
    [InlineData("uInt8Field", 255L, (byte)255)]
    [InlineData("uInt16Field", "65535", (ushort)65535)]
    [InlineData("uInt32Field", 4294967295L, 4294967295u)]
    [InlineData("uInt64Field", "18446744073709551615", ulong.MaxValue)]
    [InlineData("uInt64Field", "0xFFFFFFFFFFFFFFFF", ulong.MaxValue)]
    [InlineData("uInt64Field", ulong.MaxValue, ulong.MaxValue)]
    public void Integers_convert_exactly(string field, object input, object expected) => Assert.Equal(expected, Field(field, input));

    [Fact]
    public void Decimal_BigInteger_and_dotnet_enums_convert_to_integers()
    {
        Assert.Equal(12, Field("int32Field", 12m));
        Assert.Equal(long.MaxValue, Field("int64Field", new BigInteger(long.MaxValue)));
        Assert.Equal((byte)3, Field("uInt8Field", DayOfWeek.Wednesday));
    }

    [Theory]
    [InlineData("uInt8Field", 300, "300 is out of range for UInt8")]
    [InlineData("uInt8Field", -1, "-1 is out of range for UInt8")]
    [InlineData("int8Field", "128", "'128' is out of range for Int8")]
    [InlineData("uInt64Field", "18446744073709551616", "'18446744073709551616' is out of range for UInt64")]
    [InlineData("uInt32Field", -5L, "-5 is out of range for UInt32")]
    [InlineData("int16Field", 40000.0, "40000 is out of range for Int16")]
    public void Out_of_range_integers_are_errors_naming_the_field(string field, object input, string reason)
    {
        var ex = Error(AllTypes, H((field, input)), field);
        Assert.Equal(reason, ex.Reason);
        Assert.Equal(input, ex.Value);
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(-0.1)]
    [InlineData("2.5")]
    public void Fractions_are_never_truncated_into_integers(object input)
    {
        var ex = Error(AllTypes, H(("int32Field", input)), "int32Field");
        Assert.Contains("is not an integer", ex.Reason);
    }

    [Theory]
    [InlineData("abc", "is not a valid Int32")]
    [InlineData("0xZZ", "is not a valid hexadecimal Int32")]
    [InlineData(true, "a Bool")]
    [InlineData('7', "cannot convert")]
    [InlineData(double.NaN, "not a finite number")]
    [InlineData("Infinity", "not a finite number")]
    public void Non_numbers_are_errors(object input, string reasonPart)
    {
        var ex = Error(AllTypes, H(("int32Field", input)), "int32Field");
        Assert.Contains(reasonPart, ex.Reason);
    }

    // ---- Floats --------------------------------------------------------------------------------------------

    [Fact]
    public void Floats_accept_numbers_and_invariant_strings()
    {
        Assert.Equal(3.5, Field("float64Field", "3.5"));
        Assert.Equal(-1.25e-10, Field("float64Field", " -1.25E-10 "));
        Assert.Equal(42.0, Field("float64Field", 42));
        Assert.Equal(42f, Field("float32Field", 42L));
        Assert.Equal(0.1f, Field("float32Field", 0.1));
        Assert.Equal(2.5, Field("float64Field", 2.5m));
        Assert.True(double.IsNaN((double)Field("float64Field", "NaN")!));
        Assert.Equal(double.PositiveInfinity, Field("float64Field", "Infinity"));
        Assert.Equal(double.NegativeInfinity, Field("float64Field", "-Infinity"));
        Assert.Equal(float.PositiveInfinity, Field("float32Field", "inf"));
        Assert.Equal(float.NegativeInfinity, Field("float32Field", double.NegativeInfinity));
        Assert.True(float.IsNaN((float)Field("float32Field", double.NaN)!));
    }

    [Fact]
    public void Float_strings_ignore_the_current_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(3.5, Field("float64Field", "3.5"));
            var ex = Error(AllTypes, H(("float64Field", "3,5")), "float64Field");
            Assert.Equal("'3,5' is not a valid Float64", ex.Reason);
            Assert.Equal("1.5", RoundTrip(AllTypes, H(("textField", 1.5)))["textField"]);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Float32_overflow_and_bad_strings_are_errors()
    {
        Assert.Equal("1E+300 is out of range for Float32", Error(AllTypes, H(("float32Field", 1e300)), "float32Field").Reason);
        Assert.Equal("'1e39' is out of range for Float32", Error(AllTypes, H(("float32Field", "1e39")), "float32Field").Reason);
        Assert.Contains("is not a valid Float64", Error(AllTypes, H(("float64Field", "fast")), "float64Field").Reason);
        Assert.Contains("a Bool", Error(AllTypes, H(("float64Field", false)), "float64Field").Reason);
    }

    // ---- Bool ----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(true, true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData(" yes ", true)]
    [InlineData("1", true)]
    [InlineData(1, true)]
    [InlineData(1.0, true)]
    [InlineData("false", false)]
    [InlineData("No", false)]
    [InlineData("0", false)]
    [InlineData(0L, false)]
    public void Bools_convert(object input, bool expected) => Assert.Equal(expected, Field("boolField", input));

    [Theory]
    [InlineData("maybe")]
    [InlineData(2)]
    [InlineData("t")]
    public void Other_values_are_not_bools(object input) =>
        Assert.Contains("is not a Bool", Error(AllTypes, H(("boolField", input)), "boolField").Reason);

    // ---- Enums ---------------------------------------------------------------------------------------------

    private enum DotNetColor { Red, Green, Blue, Alpha, Purple }

    [Theory]
    [InlineData("blue", (ushort)2)]
    [InlineData("BLUE", (ushort)2)]
    [InlineData(" Alpha ", (ushort)3)]
    [InlineData(3, (ushort)3)]
    [InlineData("1", (ushort)1)]
    [InlineData(0L, (ushort)0)]
    public void Enums_by_name_or_defined_number(object input, ushort expected) => Assert.Equal(expected, Field("enumField", input));

    [Fact]
    public void Dotnet_enums_convert_by_name()
    {
        Assert.Equal((ushort)1, Field("enumField", DotNetColor.Green));
        var ex = Error(AllTypes, H(("enumField", DotNetColor.Purple)), "enumField");
        Assert.Contains("Purple is not an enumerant of Color", ex.Reason);
    }

    [Theory]
    [InlineData("purple", "'purple' is not an enumerant of Color (red, green, blue, alpha)")]
    [InlineData(4, "4 is not a defined value of enum Color (0..3: red, green, blue, alpha)")]
    [InlineData("-1", "'-1' is not a defined value of enum Color (0..3: red, green, blue, alpha)")]
    [InlineData(true, "a Bool (true) does not convert to enum Color")]
    public void Unknown_enumerants_are_errors(object input, string reason) =>
        Assert.Equal(reason, Error(AllTypes, H(("enumField", input)), "enumField").Reason);

    [Fact]
    public void Imported_enum_with_a_default()
    {
        var v = RoundTrip(AllTypes, H(("shade", "medium")));
        Assert.Equal((ushort)1, v["shade"]);
        Assert.Equal((ushort)2, RoundTrip(AllTypes, H())["shade"]); // default dark
    }

    // ---- Text and Data -------------------------------------------------------------------------------------

    [Theory]
    [InlineData("text", "text")]
    [InlineData("", "")]
    [InlineData('c', "c")]
    [InlineData(42, "42")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(0.1f, "0.1")]
    [InlineData(true, "true")]
    [InlineData(DayOfWeek.Friday, "Friday")]
    public void Text_from_strings_and_primitives(object input, string expected) => Assert.Equal(expected, Field("textField", input));

    [Fact]
    public void Text_refuses_other_objects()
    {
        Assert.Contains("cannot convert", Error(AllTypes, H(("textField", new System.Text.StringBuilder("x"))), "textField").Reason);
        Assert.Contains("cannot convert", Error(AllTypes, H(("textField", new[] { "a" })), "textField").Reason);
        Assert.Equal("location.name", Error(AllTypes, H(("location", H(("name", H())))), "location.name").FieldPath);
    }

    [Fact]
    public void Data_from_bytes_byte_lists_and_base64()
    {
        Assert.Equal(new byte[] { 1, 2, 3 }, Field("dataField", new byte[] { 1, 2, 3 }));
        Assert.Equal(new byte[] { 1, 2, 255 }, Field("dataField", new object[] { 1, "2", 255L }));
        Assert.Equal(new byte[] { 4, 5 }, Field("dataField", new List<int> { 4, 5 }));
        Assert.Equal(new byte[] { 6 }, Field("dataField", new ArraySegment<byte>(new byte[] { 9, 6, 9 }, 1, 1)));
        Assert.Equal(new byte[] { 0xde, 0xad, 0xbe, 0xef }, Field("dataField", "3q2+7w=="));
        Assert.Equal(Array.Empty<byte>(), Field("dataField", ""));
    }

    [Fact]
    public void Bad_data_is_an_error_with_the_element_index()
    {
        Assert.Contains("not valid base64", Error(AllTypes, H(("dataField", "not base64!")), "dataField").Reason);
        Assert.Equal("256 is out of range for UInt8", Error(AllTypes, H(("dataField", new[] { 1, 256 })), "dataField[1]").Reason);
        Error(AllTypes, H(("dataField", 5)), "dataField");
        Error(AllTypes, H(("dataList", new object[] { new byte[] { 1 }, new[] { -1 } })), "dataList[1][1]".Replace("[1][1]", "[1][0]"));
    }

    // ---- Missing, null, blank and defaults -----------------------------------------------------------------

    [Fact]
    public void Missing_and_null_properties_leave_defaults_and_write_nothing()
    {
        byte[] bytes = WriteMessage(AllTypes, H(("int32Field", null), ("textField", null), ("defaultText", null), ("structField", null)));
        using var reader = MessageReader.FromFramedBytes(bytes);
        var root = reader.GetRoot();
        for (int w = 0; w < AllTypes.DataWordCount; w++) Assert.Equal(0UL, root.ReadUInt64(w));
        for (int p = 0; p < AllTypes.PointerCount; p++) Assert.True(root.IsPointerNull(p));
        var v = DynamicValueReader.ReadStruct(root, AllTypes);
        Assert.Equal(123456, v["defaultInt32"]);
        Assert.Equal("hello default", v["defaultText"]);
        Assert.Equal(18000000000000000000UL, v["defaultUInt64"]);
        Assert.Equal(true, v["defaultBool"]);
    }

    [Fact]
    public void Values_are_stored_xor_their_schema_default()
    {
        byte[] bytes = WriteMessage(AllTypes, H(("defaultInt32", 123456), ("defaultBool", false), ("defaultFloat32", 1.5f),
            ("defaultEnum", "red"), ("defaultInt64", 1L), ("defaultUInt8", 200)));
        using var reader = MessageReader.FromFramedBytes(bytes);
        var root = reader.GetRoot();
        int Off(string n) => (int)AllTypes.GetField(n).Offset;
        Assert.Equal(0, root.ReadInt32(Off("defaultInt32")));            // equal to the default: all zero on the wire
        Assert.True(root.ReadBool(Off("defaultBool")));                   // false ^ true
        Assert.Equal(0f, root.ReadFloat32(Off("defaultFloat32")));
        Assert.Equal((ushort)2, root.ReadUInt16(Off("defaultEnum")));     // red (0) ^ blue (2)
        Assert.Equal(1L ^ -9000000000L, root.ReadInt64(Off("defaultInt64")));
        Assert.Equal((byte)0, root.ReadUInt8(Off("defaultUInt8")));
        var v = DynamicValueReader.ReadStruct(root, AllTypes);
        Assert.Equal(false, v["defaultBool"]);
        Assert.Equal((ushort)0, v["defaultEnum"]);
        Assert.Equal(1L, v["defaultInt64"]);
    }

    [Fact]
    public void Blank_strings_are_no_value_except_for_text_and_data()
    {
        var v = RoundTrip(AllTypes, H(("int32Field", ""), ("boolField", "  "), ("enumField", ""), ("defaultInt32", ""),
            ("structField", ""), ("int32List", ""), ("location", " "), ("textField", ""), ("dataField", "")));
        Assert.Equal(0, v["int32Field"]);
        Assert.Equal(123456, v["defaultInt32"]);
        Assert.Null(v["structField"]);
        Assert.Null(v["int32List"]);
        Assert.Equal("", v["textField"]);
        Assert.Equal(Array.Empty<byte>(), v["dataField"]);
    }

    [Fact]
    public void Explicit_pointer_defaults_apply_when_absent()
    {
        var v = RoundTrip(AllTypes, H());
        Assert.Equal("seven", ((StructValue)v["defaultStruct"]!)["name"]);
        Assert.Equal(new object[] { 1, -2, 3 }, (IEnumerable<object?>)v["defaultInt32List"]!);
        Assert.Equal(new byte[] { 1, 2, 0xfe, 0xff }, v["defaultData"]);
    }

    // ---- Structs, groups, unions ---------------------------------------------------------------------------

    [Fact]
    public void Nested_structs_and_groups_from_nested_objects()
    {
        var v = RoundTrip(AllTypes, H(
            ("structField", H(("id", 5), ("deep", H(("level", "7"), ("flag", "no"))))),
            ("location", new { Lat = 1.5, lon = "2.5", NAME = "here" }),
            ("point", new Dictionary<string, object?> { ["X"] = 1, ["y"] = -2 })));
        var inner = (StructValue)v["structField"]!;
        Assert.Equal(5u, inner["id"]);
        Assert.Equal((ushort)1, inner["color"]); // default green
        Assert.Equal((byte)7, ((StructValue)inner["deep"]!)["level"]);
        Assert.Equal(false, ((StructValue)inner["deep"]!)["flag"]);
        var location = (StructValue)v["location"]!;
        Assert.Equal(1.5, location["lat"]);
        Assert.Equal(2.5, location["lon"]);
        Assert.Equal("here", location["name"]);
        Assert.Equal(-2, ((StructValue)v["point"]!)["y"]);
    }

    [Fact]
    public void Nested_errors_carry_the_full_path()
    {
        Assert.Equal("'x' is not a valid Float64", Error(AllTypes, H(("location", H(("lat", "x")))), "location.lat").Reason);
        Error(AllTypes, H(("structField", H(("deep", H(("level", 300)))))), "structField.deep.level");
        Error(AllTypes, H(("structList", new object[] { H(), H(("tags", new object[] { "a", H() })) })), "structList[1].tags[1]");
        Error(AllTypes, H(("int32ListList", new object[] { new[] { 1 }, new object[] { 2, "x" } })), "int32ListList[1][1]");
        Error(AllTypes, H(("settings", H(("mode", H(("manual", -1)))))), "settings.mode.manual");
        Error(AllTypes, H(("points", new object[] { H(("x", 1.5)) })), "points[0].x");
    }

    [Fact]
    public void Groups_and_structs_need_objects_and_group_members_are_not_flattened()
    {
        Assert.Contains("expected an object with properties", Error(AllTypes, H(("location", "Berlin")), "location").Reason);
        Assert.Contains("for struct Inner", Error(AllTypes, H(("structField", 5)), "structField").Reason);
        Assert.Contains("got a list", Error(AllTypes, H(("structField", new object[] { H() })), "structField").Reason);
        // "lat" at the top level is not AllTypes' field: ignored (or an error in strict mode).
        var v = RoundTrip(AllTypes, H(("lat", 3.0)));
        Assert.Equal(0.0, ((StructValue)v["location"]!)["lat"]);
        Assert.Equal("", Error(AllTypes, H(("lat", 3.0)), "", new ObjectWriterOptions { Strict = true }).FieldPath);
    }

    [Fact]
    public void The_union_member_present_is_chosen()
    {
        Assert.Equal("choiceInt", RoundTrip(AllTypes, H(("choiceInt", "5")))!.Which);
        Assert.Equal("choiceText", RoundTrip(AllTypes, H(("choiceText", "t"), ("choiceInt", null))).Which);
        Assert.Equal("choiceFloat", RoundTrip(AllTypes, H(("choiceFloat", 0.0))).Which);
        var shape = (StructValue)RoundTrip(AllTypes, H(("shape", H(("square", 2))))!)["shape"]!;
        Assert.Equal("square", shape.Which);
        Assert.Equal(2f, shape["square"]);
        var settings = (StructValue)RoundTrip(AllTypes, H(("settings", H(("mode", H(("scheduled", "03:00")))))))["settings"]!;
        var mode = (StructValue)settings["mode"]!;
        Assert.Equal("scheduled", mode.Which);
        Assert.Equal("03:00", mode["scheduled"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData("x")]
    [InlineData(false)]
    [InlineData(0)]
    public void Any_non_null_value_selects_a_void_member(object marker)
    {
        var shape = (StructValue)RoundTrip(AllTypes, H(("shape", H(("nothing", marker)))))["shape"]!;
        Assert.Equal("nothing", shape.Which);
        // unsetChoice has discriminant 0, so choosing it explicitly over nothing still gives it.
        Assert.Equal("unsetChoice", RoundTrip(AllTypes, H(("unsetChoice", marker))).Which);
    }

    [Fact]
    public void Two_union_members_are_an_error_naming_both()
    {
        var ex = Error(AllTypes, H(("choiceInt", 1), ("choiceText", "x")), "choiceText");
        Assert.Contains("'choiceInt' and 'choiceText' are both set", ex.Reason);
        ex = Error(AllTypes, H(("shape", H(("circle", 1.0), ("label", "l")))), "shape.label");
        Assert.Contains("'circle' and 'label'", ex.Reason);
        Error(AllTypes, H(("settings", H(("mode", H(("auto", true), ("manual", 5)))))), "settings.mode.manual");
        // A blank number cell is no value, so it does not compete.
        Assert.Equal("choiceText", RoundTrip(AllTypes, H(("choiceInt", ""), ("choiceText", "t"))).Which);
    }

    [Fact]
    public void Union_members_inside_struct_values()
    {
        var v = RoundTrip(AllTypes, H(("choiceStruct", H(("id", 9), ("name", "n")))));
        Assert.Equal("choiceStruct", v.Which);
        Assert.Equal(9u, ((StructValue)v["choiceStruct"]!)["id"]);
    }

    // ---- Lists ---------------------------------------------------------------------------------------------

    [Fact]
    public void Lists_from_any_enumerable()
    {
        var v = RoundTrip(AllTypes, H(
            ("int32List", new List<long> { 1, 2, 3 }),
            ("int8List", new ArrayList { "-1", 2.0, (short)3 }),
            ("uInt16List", Enumerable.Range(0, 4).Select(i => (object)(i * 1000))),
            ("float64List", new object[] { 1, "2.5", 3.5f }),
            ("float32List", new double[] { 0.5 }),
            ("int64List", new HashSet<long> { long.MaxValue }),
            ("boolList", new object[] { "yes", 0, true, "false" }),
            ("enumList", new object[] { "red", 2, DotNetColor.Alpha }),
            ("voidList", new object?[] { null, 1, "x" }),
            ("textList", new object?[] { "a", null, 5 }),
            ("dataList", new object?[] { new byte[] { 1 }, null, "AQI=" }),
            ("int32ListList", new object?[] { new[] { 1 }, null, new List<int>() }),
            ("structList", new object?[] { H(("id", 1)), null, new { Id = 3, Tags = new[] { "t" } } })));
        Assert.Equal(new object[] { 1, 2, 3 }, (IEnumerable<object?>)v["int32List"]!);
        Assert.Equal(new object[] { (sbyte)-1, (sbyte)2, (sbyte)3 }, (IEnumerable<object?>)v["int8List"]!);
        Assert.Equal(new object[] { (ushort)0, (ushort)1000, (ushort)2000, (ushort)3000 }, (IEnumerable<object?>)v["uInt16List"]!);
        Assert.Equal(new object[] { 1.0, 2.5, 3.5 }, (IEnumerable<object?>)v["float64List"]!);
        Assert.Equal(new object[] { 0.5f }, (IEnumerable<object?>)v["float32List"]!);
        Assert.Equal(new object[] { long.MaxValue }, (IEnumerable<object?>)v["int64List"]!);
        Assert.Equal(new object[] { true, false, true, false }, (IEnumerable<object?>)v["boolList"]!);
        Assert.Equal(new object[] { (ushort)0, (ushort)2, (ushort)3 }, (IEnumerable<object?>)v["enumList"]!);
        Assert.Equal(3, ((IReadOnlyList<object?>)v["voidList"]!).Count);
        Assert.Equal(new object?[] { "a", null, "5" }, (IEnumerable<object?>)v["textList"]!);
        var data = (IReadOnlyList<object?>)v["dataList"]!;
        Assert.Equal(new byte[] { 1 }, data[0]);
        Assert.Null(data[1]);
        Assert.Equal(new byte[] { 1, 2 }, data[2]);
        var nested = (IReadOnlyList<object?>)v["int32ListList"]!;
        Assert.Null(nested[1]);
        Assert.Empty((IReadOnlyList<object?>)nested[2]!);
        var structs = (IReadOnlyList<object?>)v["structList"]!;
        Assert.Equal(1u, ((StructValue)structs[0]!)["id"]);
        Assert.Equal(0u, ((StructValue)structs[1]!)["id"]);    // a null element is an all-default struct
        Assert.Equal((ushort)1, ((StructValue)structs[1]!)["color"]);
        Assert.Equal(new object[] { "t" }, (IEnumerable<object?>)((StructValue)structs[2]!)["tags"]!);
    }

    [Fact]
    public void Empty_lists_are_lists_not_nulls()
    {
        var v = RoundTrip(AllTypes, H(("int32List", Array.Empty<int>()), ("structList", new List<object>()), ("textList", Array.Empty<string>())));
        Assert.Empty((IReadOnlyList<object?>)v["int32List"]!);
        Assert.Empty((IReadOnlyList<object?>)v["structList"]!);
        Assert.Empty((IReadOnlyList<object?>)v["textList"]!);
    }

    [Fact]
    public void Bad_lists_are_errors()
    {
        // A single value is a one-element list, so a comma-separated string is one (bad) Int32, not three.
        Assert.Contains("is not a valid Int32", Error(AllTypes, H(("int32List", "1,2,3")), "int32List[0]").Reason);
        Assert.Equal("null is not a valid element of List(Int32)", Error(AllTypes, H(("int32List", new object?[] { 1, null })), "int32List[1]").Reason);
        Error(AllTypes, H(("int8List", new[] { 1, 200 })), "int8List[1]");
        Error(AllTypes, H(("enumList", new[] { "red", "mauve" })), "enumList[1]");
        Error(AllTypes, H(("structList", new object[] { "not an object" })), "structList[0]");
    }

    [Fact]
    public void Writer_schema_lists_and_recursion()
    {
        var tree = H(("label", "root"), ("children", new object[]
        {
            H(("label", "a"), ("weights", new[] { 0.5f, 1.5f })),
            H(("label", "b"), ("children", new object[] { H(("label", "b1")), H(("label", "b2"), ("weights", new object[] { "NaN" })) })),
        }));
        var v = RoundTrip(Odd, H(("tree", tree), ("textListList", new object[] { new[] { "x", "y" }, Array.Empty<string>() }),
            ("boolList", new[] { true, false, true }), ("uInt64List", new object[] { "18446744073709551615", 0 }),
            ("int16List", new short[] { -3 }), ("uInt32List", new uint[] { 7 }), ("uInt8List", new byte[] { 1, 2 }),
            ("float32", "1.25"), ("flag", "yes")));
        var root = (StructValue)v["tree"]!;
        var b = (StructValue)((IReadOnlyList<object?>)root["children"]!)[1]!;
        Assert.Equal("b2", ((StructValue)((IReadOnlyList<object?>)b["children"]!)[1]!)["label"]);
        Assert.True(float.IsNaN((float)((IReadOnlyList<object?>)((StructValue)((IReadOnlyList<object?>)b["children"]!)[1]!)["weights"]!)[0]!));
        Assert.Equal(new object[] { "x", "y" }, (IEnumerable<object?>)((IReadOnlyList<object?>)v["textListList"]!)[0]!);
        Assert.Equal(new object[] { true, false, true }, (IEnumerable<object?>)v["boolList"]!);
        Assert.Equal(new object[] { ulong.MaxValue, 0UL }, (IEnumerable<object?>)v["uInt64List"]!);
        Assert.Equal(new object[] { (byte)1, (byte)2 }, (IEnumerable<object?>)v["uInt8List"]!);
        Assert.Equal(1.25f, v["float32"]);
        Error(Odd, H(("tree", H(("children", new object[] { H(("children", new object[] { H(("weights", new[] { "w" })) })) })))), "tree.children[0].children[0].weights[0]");
    }

    // ---- Unsupported kinds ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("any")]
    [InlineData("cap")]
    [InlineData("greeters")]
    public void AnyPointer_and_interface_fields_are_not_supported(string field)
    {
        var ex = Error(Odd, H((field, new object[] { 1 })), field);
        Assert.Contains("not supported", ex.Reason);
        // Absent or null they are fine.
        Assert.Null(RoundTrip(Odd, H((field, null)))[field]);
    }

    // ---- Strict mode and extra properties -------------------------------------------------------------------

    [Fact]
    public void Extra_properties_are_ignored_unless_strict()
    {
        var source = H(("int32Field", 1), ("bogus", 2), ("Other", 3));
        Assert.Equal(1, RoundTrip(AllTypes, source)["int32Field"]);
        var ex = Error(AllTypes, source, "", new ObjectWriterOptions { Strict = true });
        Assert.Contains("'bogus'", ex.Reason);
        Assert.Contains("'Other'", ex.Reason);
        Assert.Contains("strict mode", ex.Reason);
        Assert.Same(source, ex.Value);
        Error(AllTypes, H(("structField", new { Id = 1, Nope = 2 })), "structField", new ObjectWriterOptions { Strict = true });
        Error(AllTypes, H(("location", H(("lat", 1), ("alt", 2)))), "location", new ObjectWriterOptions { Strict = true });
        // Every field name, group name and union member is known, in any case.
        RoundTrip(AllTypes, H(("INT32FIELD", 1), ("Location", H(("LAT", 1))), ("choiceInt", 1), ("shape", H(("circle", 1)))),
            new ObjectWriterOptions { Strict = true });
    }

    // ---- Accessors and unwrapping --------------------------------------------------------------------------

    private sealed class Poco
    {
        public uint Id { get; set; } = 12;
        public string Name { get; set; } = "poco";
        public string[] Tags { get; set; } = ["p", "q"];
        public string NotAField => "ignored";
    }

    private sealed class Boxed(object? value)
    {
        public object? Value { get; } = value;
    }

    [Fact]
    public void Sources_of_every_kind()
    {
        void Check(object source)
        {
            var v = RoundTrip(Inner, source);
            Assert.Equal(12u, v["id"]);
            Assert.Equal("poco", v["name"]);
            Assert.Equal(new object[] { "p", "q" }, (IEnumerable<object?>)v["tags"]!);
        }

        Check(new Poco());
        Check(new { ID = 12, NAME = "poco", tags = new[] { "p", "q" } });
        var caseSensitive = new Hashtable { ["Id"] = 12, ["NAME"] = "poco", ["tags"] = new[] { "p", "q" } };
        Check(caseSensitive);
        Check(new Dictionary<string, object?> { ["iD"] = "12", ["Name"] = "poco", ["Tags"] = new List<string> { "p", "q" } });
        Check(new Dictionary<string, object> { ["id"] = 12L, ["name"] = "poco", ["tags"] = new object[] { "p", "q" } });
        Check(new SortedList { ["Id"] = 12, ["Name"] = "poco", ["Tags"] = new[] { "p", "q" } });
        dynamic expando = new ExpandoObject();
        expando.Id = 12;
        expando.name = "poco";
        expando.TAGS = new[] { "p", "q" };
        Check((object)expando);
        Check(RoundTrip(Inner, new Poco())); // a StructValue read back
        IReadOnlyDictionary<string, object?> readOnly = new Dictionary<string, object?> { ["Id"] = 12, ["name"] = "poco", ["tags"] = new[] { "p", "q" } }.AsReadOnly();
        Check(readOnly);
    }

    [Fact]
    public void Unwrap_and_a_custom_accessor_are_applied_everywhere()
    {
        // Every value (root, properties, list elements) arrives boxed in a wrapper, like PSObject.
        var options = new ObjectWriterOptions { Adapter = new PairsAccessor() };
        var source = new Boxed(new Pairs(("ID", new Boxed(7)), ("Tags", new Boxed(new object[] { new Boxed("a"), new Boxed("b") })),
            ("deep", new Boxed(new Pairs(("LEVEL", new Boxed("3")))))));
        var v = RoundTrip(Inner, source, options);
        Assert.Equal(7u, v["id"]);
        Assert.Equal(new object[] { "a", "b" }, (IEnumerable<object?>)v["tags"]!);
        Assert.Equal((byte)3, ((StructValue)v["deep"]!)["level"]);
        var ex = Error(Inner, new Pairs(("extra", 1)), "", options with { Strict = true });
        Assert.Contains("'extra'", ex.Reason);
    }

    /// <summary>A property bag read only through <see cref="PairsAccessor"/> (like PSCustomObject's note properties).</summary>
    private sealed class Pairs(params (string Name, object? Value)[] properties)
    {
        public (string Name, object? Value)[] Properties { get; } = properties;
    }

    private sealed class PairsAccessor : ObjectAdapter
    {
        public override object? Unwrap(object? value) => value is Boxed b ? b.Value : value;

        public override bool TryGetValue(object source, string name, out object? value)
        {
            foreach (var (n, v) in ((Pairs)source).Properties)
            {
                if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = v;
                    return true;
                }
            }
            value = null;
            return false;
        }

        public override IEnumerable<string> GetNames(object source) => ((Pairs)source).Properties.Select(p => p.Name);
    }

    [Fact]
    public void Property_getters_that_throw_read_as_null()
    {
        var v = RoundTrip(Inner, new Throwing());
        Assert.Equal(0u, v["id"]);          // the default: the throwing getter gave no value
        Assert.Equal("kept", v["name"]);    // and the record is not rejected
    }

    private sealed class Throwing
    {
        public uint Id => throw new InvalidOperationException("boom");
        public string Name => "kept";
    }

    // ---- API edges -----------------------------------------------------------------------------------------

    private sealed class UnwrapsToNull : ObjectAdapter
    {
        public override object? Unwrap(object? value) => null;
    }

    [Fact]
    public void Writer_checks_its_arguments()
    {
        Assert.Throws<ArgumentException>(() => new StructWriter(AllTypes.GetField("location").GroupType!));
        using var arena = new HeapSegmentArena();
        var message = new MessageBuilder(arena);
        var writer = new StructWriter(AllTypes);
        Assert.Throws<ArgumentException>(() => writer.Write(message.InitRoot(1, 1), H()));
        Assert.Throws<ArgumentException>(() => writer.Write(default, H()));
        Assert.Throws<ArgumentNullException>(() => writer.Write(message.InitRoot(AllTypes.DataWordCount, AllTypes.PointerCount), null!));
        var nullAfterUnwrap = new StructWriter(AllTypes, new ObjectWriterOptions { Adapter = new UnwrapsToNull() });
        Assert.Equal("", Assert.Throws<CapnpValueException>(() => nullAfterUnwrap.WriteRoot(message, H())).FieldPath);
        Assert.Contains("expected an object", Assert.Throws<CapnpValueException>(() => writer.WriteRoot(message, "text")).Reason);
    }

    [Fact]
    public void Append_removes_a_record_that_failed()
    {
        using var arena = new HeapSegmentArena();
        var message = new MessageBuilder(arena);
        var root = message.InitRoot(BatchSchema.DataWordCount, BatchSchema.PointerCount);
        var list = root.InitStreamingStructList((int)BatchSchema.GetField("records").Offset, RecordSchema.DataWordCount, RecordSchema.PointerCount);
        var writer = new StructWriter(RecordSchema);
        writer.Append(list, H(("id", 1), ("name", "one")));
        var ex = Assert.Throws<CapnpValueException>(() => writer.Append(list, H(("name", "two"), ("value", "x"))));
        Assert.Equal("value", ex.FieldPath);
        Assert.Equal(1, list.Count);
        writer.Append(list, H(("id", 3)));
        list.Complete();
        using var reader = MessageReader.FromFramedBytes(message.ToFramedBytes());
        var batch = DynamicValueReader.ReadStruct(reader.GetRoot(), BatchSchema);
        var records = (IReadOnlyList<object?>)batch["records"]!;
        Assert.Equal(2, records.Count);
        Assert.Equal(3UL, ((StructValue)records[1]!)["id"]);
        Assert.Null(((StructValue)records[1]!)["name"]); // the failed record's text left nothing behind in the element
    }

    [Fact]
    public void Exception_paths_compose()
    {
        var ex = new CapnpValueException("", 1, "bad");
        Assert.Equal("bad", ex.Message);
        Assert.Equal("a", ex.WithParent("a").FieldPath);
        Assert.Equal("a[2]", ex.WithParent("[2]").WithParent("a").FieldPath);
        Assert.Equal("records[5].a.b", new CapnpValueException("a.b", 1, "bad").WithParent("records[5]").FieldPath);
        Assert.Equal("Field 'x.y': bad", new CapnpValueException("x.y", 1, "bad").Message);
    }

    [Fact]
    public void One_writer_serves_several_threads()
    {
        var writer = new StructWriter(Inner);
        Parallel.For(0, 8, t =>
        {
            using var arena = new HeapSegmentArena();
            var message = new MessageBuilder(arena);
            var root = message.InitRoot(Inner.DataWordCount, Inner.PointerCount);
            object source = t % 2 == 0 ? new Poco { Id = (uint)t } : H(("id", t), ("name", "poco"), ("tags", new[] { "p", "q" }));
            writer.Write(root, source);
            using var reader = MessageReader.FromFramedBytes(message.ToFramedBytes());
            Assert.Equal((uint)t, DynamicValueReader.ReadStruct(reader.GetRoot(), Inner)["id"]);
        });
    }
}
