using System.Numerics;
using CapMap.Schema;
using CapMap.Schema.Inference;
using Xunit;
using static CapMap.Tests.Objects.ObjectTestSupport;

namespace CapMap.Tests.Schema.Inference;

/// <summary>
/// The rows of the type table beyond those <see cref="TypeTableTests"/> round-trips through the inferred codec:
/// each new number type through the explicit-schema codec too (a field of the row's Cap'n Proto type stores it, and
/// the row reads it back), and how inference widens the new rows when they meet others.
/// </summary>
public class TypeRowTests
{
    public static TheoryData<object, string> ExplicitFields() => new()
    {
        { Int128.MinValue, "textField" },
        { (Int128)(-5), "int64Field" },
        { UInt128.MaxValue, "textField" },
        { (UInt128)ulong.MaxValue, "uInt64Field" },
        { (Half)(-65504), "float32Field" },
        { Half.Epsilon, "float64Field" },
    };

    [Theory]
    [MemberData(nameof(ExplicitFields))]
    public void A_row_s_value_goes_into_an_explicit_field_and_its_row_reads_it_back(object value, string field)
    {
        object? stored = RoundTrip(AllTypes, H((field, value)))[field];
        var info = ClrTypeTable.Classify(value)!;
        Assert.Equal(value, ClrTypeTable.Decode(stored, info, field));
        Assert.IsType(value.GetType(), ClrTypeTable.Decode(stored, info, field));
    }

    [Fact]
    public void A_UInt128_above_every_field_s_range_is_refused_with_the_range_named()
    {
        var e = Error(AllTypes, H(("uInt64Field", UInt128.MaxValue)), "uInt64Field");
        Assert.Contains("out of range for UInt64", e.Reason);
    }

    [Theory]
    [InlineData("Int64", "Int128", "Int128")]     // the wider of the two holds both
    [InlineData("Int128", "UInt128", "String")]   // no integer type holds both, nor does Decimal: exact as text
    [InlineData("Int64", "UInt64", "Decimal")]    // as before: Int128 is a row, not a target two others widen to
    [InlineData("Int32", "UInt32", "Int64")]
    [InlineData("Half", "Single", "Single")]
    [InlineData("Half", "Int32", "Double")]
    [InlineData("Int128", "Decimal", "String")]   // Decimal does not hold Int128's range
    [InlineData("Byte", "Decimal", "Decimal")]
    public void Inference_widens_by_what_each_row_is_as_a_number(string a, string b, string joined)
    {
        Assert.Equal(joined, ScalarLattice.Join(ClrTypeInfo.Scalar(a), ClrTypeInfo.Scalar(b)).ToString());
        Assert.Equal(joined, ScalarLattice.Join(ClrTypeInfo.Scalar(b), ClrTypeInfo.Scalar(a)).ToString());
    }

    [Fact]
    public void Values_of_two_rows_in_one_property_come_back_as_the_joined_type()
    {
        var records = new object?[]
        {
            new System.Collections.Hashtable { ["n"] = 5L },
            new System.Collections.Hashtable { ["n"] = Int128.MaxValue },
            new System.Collections.Hashtable { ["h"] = (Half)0.5 },
            new System.Collections.Hashtable { ["h"] = 2.5f },
        };
        var back = InferenceTestSupport.RoundTrip(records);
        Assert.Equal((Int128)5, back[0]["n"]);
        Assert.Equal(Int128.MaxValue, back[1]["n"]);
        Assert.Equal(0.5f, back[2]["h"]);
        Assert.Equal(2.5f, back[3]["h"]);
    }

    [Fact]
    public void A_plain_value_is_no_object_for_an_explicit_struct_field()
    {
        // The explicit writer asks the same rule: a Uri's properties (Host, Port ...) are not a struct's fields.
        var e = Error(AllTypes, H(("structField", new Uri("https://example.org/"))), "structField");
        Assert.Contains("expected an object", e.Reason);
    }

    [Fact]
    public void Every_row_is_a_plain_value_and_nothing_else_is()
    {
        foreach (var value in new object[] { Int128.One, UInt128.One, Half.One, new Uri("x", UriKind.Relative), new Version(1, 0), DayOfWeek.Monday, "s" })
            Assert.True(ObjectAdapter.IsScalar(value), value.GetType().Name);
        foreach (var value in new object[] { new object(), new System.Collections.Hashtable(), new[] { 1 }, new KeyValuePair<int, int>(1, 2) })
            Assert.False(ObjectAdapter.IsScalar(value), value.GetType().Name);
    }
}
