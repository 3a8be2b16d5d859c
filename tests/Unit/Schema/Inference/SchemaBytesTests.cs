using System.Collections.Specialized;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CapMap.Objects.Codecs;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Interop;
using CapMap.Tests.Mapping;
using Xunit;

namespace CapMap.Tests.Schema.Inference;

/// <summary>
/// Schemas as bytes: an inferred schema and any loaded <see cref="SchemaSet"/> written as a CodeGeneratorRequest
/// with CapMap's wire builder, read back by the loader and by the capnp tool itself.
/// </summary>
public class SchemaBytesTests
{
    private static InferredSchema Sample() => SchemaInferrer.Infer(
    [
        new OrderedDictionary
        {
            ["Id"] = 7, ["Working Set"] = 123456789L, ["struct"] = "kw", ["Started"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            ["Flag"] = true, ["Other"] = false, ["Guid"] = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            ["Tags"] = new[] { "x", "y" }, ["Child"] = new OrderedDictionary { ["n"] = 1.5 },
        },
    ]);

    [Fact]
    public void InferredSchemaBytesLoadBackToTheSameModel()
    {
        var schema = Sample();
        var set = SchemaSet.Load(schema.ToBytes());
        InferredLayoutPropertyTests.AssertSameModel(schema, InferredSchema.FromSchemaSet(set));
        var record = set.GetStruct("Record");
        Assert.Equal("inferred.capnp:Record", record.DisplayName);
        var ws = record.GetField("workingSet");
        Assert.Equal("Working Set", ws.Annotations.Single(a => InferredSchema.IsCapMapAnnotation(a, InferredSchema.OriginalNameAnnotation)).Value.Value);
        Assert.Equal("Int64", ws.Annotations.Single(a => InferredSchema.IsCapMapAnnotation(a, InferredSchema.ClrTypeAnnotation)).Value.Value);
        Assert.Equal(schema.FileId, Assert.Single(set.RequestedFiles).Id);
    }

    [Fact]
    public void CapnpDecodesInferredSchemaBytesWithTheSameLayout()
    {
        // capnp's JSON codec cannot print schema.capnp's Value.list (an AnyPointer), not even for its own compiler
        // output, so the text format is read instead.
        var schema = Sample();
        var nodes = DecodeRequest(schema.ToBytes());
        Assert.Equal(4 + schema.Structs.Count, nodes.Count); // file, three annotations, the structs
        foreach (var s in schema.Structs)
        {
            var node = nodes.Single(n => n.DisplayName == $"{schema.FileName}:{s.Identifier}");
            Assert.Equal((s.DataWordCount, s.PointerCount), (node.DataWords, node.Pointers));
            Assert.Equal(s.Fields.Select(f => (f.Identifier, f.Offset)), node.Fields);
        }
    }

    private sealed record DecodedNode(string DisplayName, int DataWords, int Pointers, List<(string, uint)> Fields);

    /// <summary>Decodes a CodeGeneratorRequest with <c>capnp convert binary:text</c> and picks out nodes, struct sizes and field offsets.</summary>
    private static List<DecodedNode> DecodeRequest(byte[] bytes)
    {
        var (root, rel) = CapnpTool.FindStandardSchema("capnp/schema.capnp");
        string text = Encoding.UTF8.GetString(CapnpTool.Run(["convert", "binary:text", rel, "CodeGeneratorRequest"], bytes, root));
        var nodes = new List<DecodedNode>();
        int requested = text.IndexOf("requestedFiles = [", StringComparison.Ordinal);
        var blocks = Regex.Split(requested < 0 ? text : text[..requested], @"(?=displayName = "")").Skip(1);
        foreach (string block in blocks)
        {
            string name = Regex.Match(block, @"displayName = ""([^""]*)""").Groups[1].Value;
            int fieldsAt = block.IndexOf("fields = [", StringComparison.Ordinal);
            var fields = new List<(string, uint)>();
            if (fieldsAt >= 0)
                foreach (Match m in Regex.Matches(block[fieldsAt..], @"\( name = ""([^""]*)"",.*?offset = (\d+)", RegexOptions.Singleline))
                    fields.Add((m.Groups[1].Value, uint.Parse(m.Groups[2].Value)));
            int Number(string key) => Regex.Match(block, key + @" = (\d+)") is { Success: true } m ? int.Parse(m.Groups[1].Value) : -1;
            nodes.Add(new DecodedNode(name, Number("dataWordCount"), Number("pointerCount"), fields));
        }
        return nodes;
    }

    [Fact]
    public void CapnpDecodesAMessageOfInferredRecordsWithTheEmittedText()
    {
        var records = new object[]
        {
            new OrderedDictionary { ["Name"] = "first", ["Working Set"] = 1L << 40, ["On"] = true, ["Child"] = new OrderedDictionary { ["n"] = 2.5 } },
            new OrderedDictionary { ["Name"] = "zweite größe", ["Working Set"] = 5L, ["On"] = false, ["Child"] = null },
        };
        var schema = SchemaInferrer.Infer(records);
        var items = InferenceTestSupport.ConvertWithCapnp(schema, InferenceTestSupport.WriteMessage(new InferredRecordCodec(schema), records));
        Assert.Equal(2, items.Count);
        Assert.Equal("first", items[0].GetProperty("name").GetString());
        Assert.Equal((1L << 40).ToString(), items[0].GetProperty("workingSet").GetString()); // capnp's JSON quotes 64-bit integers
        Assert.True(items[0].GetProperty("on").GetBoolean());
        // A dictionary below the record is a map: a list of key/value entries.
        var entry = Assert.Single(items[0].GetProperty("child").EnumerateArray());
        Assert.Equal("n", entry.GetProperty("key").GetString());
        Assert.Equal(2.5, entry.GetProperty("value").GetDouble());
        Assert.Equal("zweite größe", items[1].GetProperty("name").GetString());
        Assert.False(items[1].TryGetProperty("child", out _));
    }

    [Fact]
    public void AnyLoadedSchemaSetWritesAndLoadsBackEqual()
    {
        var (root, rel) = CapnpTool.FindStandardSchema("capnp/schema.capnp");
        foreach (var set in new[] { InteropSchema.Set, SchemaSet.Load(CapnpTool.Run(["compile", "-o-", rel], workingDirectory: root)) })
        {
            byte[] bytes = SchemaSetWriter.Write(set);
            var back = SchemaSet.Load(bytes);
            AssertSameSet(set, back);
            // capnp itself reads the bytes, and sees the same nodes.
            var decoded = DecodeRequest(bytes);
            Assert.Equal(set.Nodes.Select(n => n.DisplayName), decoded.Select(n => n.DisplayName));
            foreach (var (node, d) in set.Nodes.Zip(decoded))
                if (node is StructSchema st)
                    Assert.Equal((st.DataWordCount, st.PointerCount), (d.DataWords, d.Pointers));
        }
    }

    private static void AssertSameSet(SchemaSet expected, SchemaSet actual)
    {
        Assert.Equal(expected.CapnpVersion, actual.CapnpVersion);
        Assert.Equal(expected.RequestedFiles.Select(f => (f.Id, f.FileName, string.Join(",", f.Imports))),
            actual.RequestedFiles.Select(f => (f.Id, f.FileName, string.Join(",", f.Imports))));
        Assert.Equal(expected.Nodes.Count, actual.Nodes.Count);
        for (int i = 0; i < expected.Nodes.Count; i++)
        {
            var e = expected.Nodes[i];
            var a = actual.Nodes[i];
            Assert.Equal((e.Kind, e.Id, e.DisplayName, e.DisplayNamePrefixLength, e.ScopeId, e.IsGeneric),
                (a.Kind, a.Id, a.DisplayName, a.DisplayNamePrefixLength, a.ScopeId, a.IsGeneric));
            Assert.Equal(e.NestedNodes, a.NestedNodes);
            Assert.Equal(e.Parameters, a.Parameters);
            Assert.Equal(Describe(e.Annotations), Describe(a.Annotations));
            switch (e)
            {
                case StructSchema es:
                    var s = (StructSchema)a;
                    Assert.Equal((es.DataWordCount, es.PointerCount, es.PreferredListEncoding, es.IsGroup, es.DiscriminantCount, es.DiscriminantOffset),
                        (s.DataWordCount, s.PointerCount, s.PreferredListEncoding, s.IsGroup, s.DiscriminantCount, s.DiscriminantOffset));
                    Assert.Equal(es.FieldsInSchemaOrder.Select(Describe), s.FieldsInSchemaOrder.Select(Describe));
                    break;
                case EnumSchema ee:
                    Assert.Equal(ee.Enumerants.Select(x => (x.Name, x.Ordinal, x.CodeOrder, Describe(x.Annotations))),
                        ((EnumSchema)a).Enumerants.Select(x => (x.Name, x.Ordinal, x.CodeOrder, Describe(x.Annotations))));
                    break;
                case InterfaceSchema ei:
                    Assert.Equal(ei.Methods, ((InterfaceSchema)a).Methods);
                    Assert.Equal(ei.SuperclassIds, ((InterfaceSchema)a).SuperclassIds);
                    break;
                case ConstSchema ec:
                    Assert.Equal((ec.Type.ToString(), ec.Value.ToString()), (((ConstSchema)a).Type.ToString(), ((ConstSchema)a).Value.ToString()));
                    break;
                case AnnotationDeclarationSchema ea:
                    var d = (AnnotationDeclarationSchema)a;
                    Assert.Equal((ea.Type.ToString(), ea.Targets), (d.Type.ToString(), d.Targets));
                    break;
            }
        }
    }

    private static string Describe(IReadOnlyList<AnnotationSchema> annotations) => string.Join(";", annotations.Select(x => $"{x.Id:x}={x.Value}"));

    private static string Describe(FieldSchema f) =>
        $"{f.Name}|{f.CodeOrder}|{f.DiscriminantValue}|{f.Ordinal}|{f.Kind}|{f.Offset}|{f.Type}|{f.DefaultValue}|{f.HadExplicitDefault}|{f.GroupTypeId:x}|{Describe(f.Annotations)}";
}
