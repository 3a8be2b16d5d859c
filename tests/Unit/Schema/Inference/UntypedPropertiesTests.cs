using System.Collections;
using CapMap.Schema.Inference;
using Xunit;

namespace CapMap.Tests.Schema.Inference;

/// <summary>
/// <see cref="UntypedProperties"/>: the paths of properties null in every record (Void fields), which
/// ConvertTo-CapnpSchema warns about; the null member of a union of kinds is no such property.
/// </summary>
public class UntypedPropertiesTests
{
    public sealed class Inner
    {
        public object? D { get; init; }
        public int E { get; init; } = 2;
    }

    public sealed class Item
    {
        public object? F { get; init; }
    }

    [Fact]
    public void NamesEveryPropertyNullInEveryRecordByItsPathAndNothingElse()
    {
        var schema = SchemaInferrer.Infer(
            [
                new Hashtable { ["a"] = 1, ["b"] = null, ["inner"] = new Inner(), ["items"] = new[] { new Item() } },
                new Hashtable { ["a"] = 2, ["b"] = null, ["inner"] = null, ["items"] = null },
            ],
            new InferenceOptions { Depth = 3 });
        var paths = UntypedProperties.Of(schema);
        Assert.Equal(["b", "inner.D", "items[].F"], paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheNullMemberOfAUnionOfKindsAndTypedPropertiesAreNotNamed()
    {
        // A list of 1, null and "a": a union with a null member; the record's own properties all have values.
        var schema = SchemaInferrer.Infer([new Hashtable { ["x"] = new object?[] { 1, null, "a" }, ["y"] = "v" }], new InferenceOptions { Depth = 2 });
        Assert.Contains(":Void", schema.ToCapnpText());
        Assert.Empty(UntypedProperties.Of(schema));
    }
}
