using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Interop;
using CapMap.Tests.Mapping;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Schema;

/// <summary>
/// <see cref="SchemaNesting.LimitFor"/>: a reader allows the pointer levels a message's schema allows (so a file
/// written with -Depth 100 reads back), never less than Cap'n Proto's default of 64 and never more than
/// <see cref="SchemaNesting.MaxLimit"/>; a schema that does not bound its nesting gets the default.
/// </summary>
public class SchemaNestingTests
{
    /// <summary>An inferred schema whose records nest <paramref name="structs"/> structs (the record included), each in the one before.</summary>
    private static StructSchema RootOfChain(int structs, bool inLists = false)
    {
        var inner = new InferredStruct("S0", [new InferredField("leaf", InferredType.Of(TypeKind.Text), ClrTypeInfo.Scalar("String"))]);
        for (int i = 1; i < structs; i++)
        {
            var type = inLists ? InferredType.ListOf(InferredType.StructOf(inner)) : InferredType.StructOf(inner);
            var clr = inLists ? new ClrTypeInfo(ClrKind.Sequence, element: new ClrTypeInfo(ClrKind.Object)) : new ClrTypeInfo(ClrKind.Object);
            inner = new InferredStruct($"S{i}", [new InferredField("next", type, clr)]);
        }
        return ResolvedSchema.FromInferred(new InferredSchema(inner)).Root!;
    }

    [Fact]
    public void A_shallow_schema_gets_the_default_limit()
    {
        Assert.Equal(WireLimits.DefaultNestingLimit, SchemaNesting.LimitFor(RootOfChain(3)));
    }

    [Fact]
    public void A_deep_inferred_schema_gets_the_levels_it_allows()
    {
        // The root, its list of records, 101 structs (the record and 100 nested objects), and the innermost Text.
        Assert.Equal(1 + 1 + 101 + 1, SchemaNesting.LimitFor(RootOfChain(101)));
        // In lists, every struct is one level deeper: its list.
        Assert.Equal(1 + 1 + 1 + 100 * 2 + 1, SchemaNesting.LimitFor(RootOfChain(101, inLists: true)));
    }

    [Fact]
    public void Nesting_is_bounded_whatever_the_schema_allows()
    {
        Assert.Equal(SchemaNesting.MaxLimit, SchemaNesting.LimitFor(RootOfChain(SchemaNesting.MaxLimit + 10)));
    }

    /// <summary>A schema written by hand: S0 holds S1 ... holds S{n-1}, whose one field is <paramref name="innermost"/>.</summary>
    private static SchemaSet HandWrittenChain(int structs, string innermost)
    {
        using var dir = new TempDir();
        var text = new System.Text.StringBuilder("@0xd6a1b2c3e4f50617;\n");
        for (int i = 0; i < structs - 1; i++) text.Append($"struct S{i} {{ next @0 :S{i + 1}; }}\n");
        text.Append($"struct S{structs - 1} {{ last @0 :{innermost}; }}\n");
        File.WriteAllText(dir.File("chain.capnp"), text.ToString());
        return SchemaSet.Load(CapnpTool.Run(["compile", "-o-", "chain.capnp"], workingDirectory: dir.Path));
    }

    [Fact]
    public void A_schema_that_contains_itself_or_holds_any_pointer_gets_the_default_however_deep()
    {
        // 80 levels of structs, then a field that bounds nothing: the default, not 80.
        Assert.Equal(WireLimits.DefaultNestingLimit, SchemaNesting.LimitFor(HandWrittenChain(80, "AnyPointer").GetStruct("S0")));
        Assert.Equal(WireLimits.DefaultNestingLimit, SchemaNesting.LimitFor(HandWrittenChain(80, "S0").GetStruct("S0")));
        Assert.Equal(WireLimits.DefaultNestingLimit, SchemaNesting.LimitFor(HandWrittenChain(80, "List(S3)").GetStruct("S0")));
        // The same chain ending in Text is bounded: 80 structs and the text.
        Assert.Equal(81, SchemaNesting.LimitFor(HandWrittenChain(80, "Text").GetStruct("S0")));
    }

    [Fact]
    public void A_schema_whose_structs_are_reached_many_ways_is_walked_once_per_struct()
    {
        // Each struct holds the next twice: 2^99 paths to the last. Walked path by path this would never end.
        using var dir = new TempDir();
        var text = new System.Text.StringBuilder("@0xd6a1b2c3e4f50618;\n");
        for (int i = 0; i < 99; i++) text.Append($"struct S{i} {{ a @0 :S{i + 1}; b @1 :S{i + 1}; }}\n");
        text.Append("struct S99 { leaf @0 :Int32; }\n");
        File.WriteAllText(dir.File("diamond.capnp"), text.ToString());
        var set = SchemaSet.Load(CapnpTool.Run(["compile", "-o-", "diamond.capnp"], workingDirectory: dir.Path));
        Assert.Equal(100, SchemaNesting.LimitFor(set.GetStruct("S0")));
    }
}
