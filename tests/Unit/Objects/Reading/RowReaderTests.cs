using System.Collections;
using System.Collections.Specialized;
using CapMap.Objects.Codecs;
using CapMap.Objects.Reading;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Interop;
using CapMap.Tests.Schema;
using CapMap.Tests.Schema.Inference;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Objects.Reading;

/// <summary>
/// The row readers give the values the general decoders give: <see cref="StructRowReader"/> those of
/// <see cref="DynamicValueReader"/> (enums as names), <see cref="InferredRowReader"/> those of
/// <see cref="CapMap.Tests.Schema.Inference.DictionaryRecordCodec.Read"/>; and the generated row types behave as plain .NET objects.
/// </summary>
public class RowReaderTests
{
    public static TheoryData<string> Vectors()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in InteropVectors.All()) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void ExplicitRowsHoldWhatTheDynamicReaderReads(string vector)
    {
        var value = InteropVectors.All().Single(v => v.Name == vector).Value;
        byte[] binary = CapnpTool.JsonToBinary(InteropVectors.Json(value), "AllTypes");
        using var message = MessageReader.FromFramedBytes(binary);
        var expected = DynamicValueReader.ReadStruct(message.GetRoot(), InteropSchema.AllTypes);
        var row = new StructRowReader().Read(message.GetRoot(), InteropSchema.AllTypes);
        AssertRowHolds(expected, row, "AllTypes");
    }

    [Fact]
    public void InferredRowsHoldWhatTheCodecReads()
    {
        var records = new object?[]
        {
            TypeTableObject(),
            // Every property null: flags set, pointers null (a record without some would make the records vary, read without rows).
            TypeTableObject().Cast<DictionaryEntry>().Aggregate(new OrderedDictionary(), (o, e) => { o[e.Key] = null; return o; }),
        };
        var schema = SchemaInferrer.Infer(records);
        var codec = new InferredRecordCodec(schema);
        byte[] bytes = InferenceTestSupport.WriteMessage(codec, records);
        var expected = InferenceTestSupport.ReadMessage(codec, bytes);
        var reader = new InferredRowReader(schema, codec.SchemaSet, typeName: t => "Shown." + t);
        using var message = MessageReader.FromFramedBytes(bytes);
        var list = message.GetRoot().ReadList((int)schema.Root.Fields[0].Offset);
        // The records were dictionaries, so Read gives dictionaries back; their rows (the shape and values a
        // reader of objects decodes later) must hold what the codec reads.
        Assert.True(reader.AreDictionaries);
        Assert.IsAssignableFrom<IDictionary>(reader.Read(list.GetStruct(0)));
        Row RowAt(int i) => (Row)reader.RecordShape.New(reader.RecordValues(list.GetStruct(i)));
        for (int i = 0; i < records.Length; i++)
            AssertRecordHolds(expected[i], RowAt(i), $"record {i}");
        var first = RowAt(0);
        Assert.Null(Property(RowAt(1), "int"));
        Assert.DoesNotContain(first.GetType().GetProperties(), p => p.Name.EndsWith("IsNull", StringComparison.Ordinal));
        var nested = Assert.IsAssignableFrom<Row>(Property(first, "nested"));
        // A nested class's name has a '+', which reflection would escape: the shape carries the name, not the type.
        Assert.Equal("Shown." + typeof(TypeTableTests.Nested).FullName, Row.TypeNameOf(nested));
        Assert.StartsWith("CapMap.Rows.", nested.GetType().FullName);
        Assert.Null(Row.TypeNameOf(first)); // the records were dictionaries: no type name, but still an object
    }

    [Fact]
    public void RowTypesHaveOnePublicPropertyPerNameInOrderAndKeepTheFirstOfNamesThatDifferByCase()
    {
        var shape = RowTypes.Get("Shape", ["b", "a b", "名前", "struct", "B", "x.y"], null, out var kept);
        Assert.Equal([true, true, true, true, false, true], kept);
        Assert.Equal(["b", "a b", "名前", "struct", "x.y"], shape.Type.GetProperties().Select(p => p.Name));
        var row = shape.New([1, "two", 3.0, null, 5]);
        Assert.Equal("two", shape.Type.GetProperty("a b")!.GetValue(row));
        shape.Type.GetProperty("名前")!.SetValue(row, "changed");
        Assert.Equal("changed", shape.Type.GetProperty("名前")!.GetValue(row));
        Assert.Equal("@{b=1; a b=two; 名前=changed; struct=; x.y=5}", row.ToString());
        Assert.Same(shape, RowTypes.Get("Shape", ["b", "a b", "名前", "struct", "B", "x.y"], null, out _));
        var other = RowTypes.Get("Shape", ["only"], null, out _);
        Assert.NotEqual(shape.Type, other.Type);
        Assert.NotEqual(shape.Type.FullName, other.Type.FullName);
    }

    [Fact]
    public void ATypeNameThatReflectionWouldEscapeStaysOnTheShapeOnly()
    {
        var shape = RowTypes.Get("Stat", ["Inode"], "Deserialized.Outer+Inner", out _);
        Assert.StartsWith("CapMap.Rows.", shape.Type.FullName);
        Assert.Equal("Deserialized.Outer+Inner", Row.TypeNameOf(shape.New([1L])));
        var twice = RowTypes.Get("Other", ["X"], "Deserialized.Same.Name", out _);
        var again = RowTypes.Get("Other", ["Y"], "Deserialized.Same.Name", out _);
        Assert.Equal("Deserialized.Same.Name", twice.Type.FullName);
        Assert.Equal("Deserialized.Same.Name", again.Type.FullName); // a second dynamic assembly holds the second shape
        Assert.NotEqual(twice.Type, again.Type);
    }

    private static OrderedDictionary TypeTableObject()
    {
        var o = new OrderedDictionary();
        foreach (var r in TypeTableTests.Rows) o[r.Name] = r.Value;
        return o;
    }

    private static object? Property(object row, string name) => row.GetType().GetProperty(name)!.GetValue(row);

    private static void AssertRowHolds(StructValue expected, object actual, string where)
    {
        var properties = actual.GetType().GetProperties();
        Assert.Equal(expected.Keys, properties.Select(p => p.Name));
        foreach (var (name, value) in expected)
        {
            var field = expected.Schema.TryGetField(name, out var f) ? f : null;
            var got = Property(actual, name);
            switch (value)
            {
                case StructValue nested:
                    AssertRowHolds(nested, got!, $"{where}.{name}");
                    break;
                case ushort ordinal when field is { IsGroup: false, Type.Kind: TypeKind.Enum }:
                    Assert.Equal(field.Type.EnumType!.GetName(ordinal) ?? (object)ordinal, got);
                    break;
                case IReadOnlyList<object?> list:
                    var items = Assert.IsType<object?[]>(got);
                    Assert.Equal(list.Count, items.Length);
                    for (int i = 0; i < list.Count; i++)
                    {
                        if (list[i] is StructValue s) AssertRowHolds(s, items[i]!, $"{where}.{name}[{i}]");
                        else if (list[i] is not IReadOnlyList<object?> && field?.Type.ElementType?.Kind != TypeKind.Enum) Assert.Equal(list[i], items[i]);
                    }
                    break;
                default:
                    Assert.Equal(value, got);
                    break;
            }
        }
    }

    private static void AssertRecordHolds(ObjectRecord expected, object actual, string where)
    {
        Assert.Equal(expected.Select(p => p.Key), actual.GetType().GetProperties().Select(p => p.Name));
        foreach (var (name, value) in expected)
        {
            var got = Property(actual, name);
            if (value is ObjectRecord nested) AssertRecordHolds(nested, got!, $"{where}.{name}");
            else if (value is IDictionary d)
            {
                var g = Assert.IsAssignableFrom<IDictionary>(got);
                Assert.Equal(d.GetType(), g.GetType());
                Assert.Equal(d.Keys.Cast<object>(), g.Keys.Cast<object>());
                foreach (var key in d.Keys) Assert.Equal(d[key], g[key]);
            }
            else
            {
                Assert.Equal(value?.GetType(), got?.GetType());
                Assert.Equal(value, got);
                if (value is DateTime dt) Assert.Equal(dt.Kind, ((DateTime)got!).Kind);
            }
        }
    }
}
