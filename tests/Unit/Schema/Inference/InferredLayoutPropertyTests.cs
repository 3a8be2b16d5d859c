using System.Text;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Interop;
using CapMap.Tests.Mapping;
using Xunit;

namespace CapMap.Tests.Schema.Inference;

/// <summary>
/// The inferred model's layout is Cap'n Proto's: random shapes are emitted as .capnp text, compiled by the capnp
/// tool, and every struct's section sizes, union discriminant and every field's offset, discriminant value, name and
/// annotations compared with the model.
/// Fifty shapes go into one file and all files into one compiler call, so a run forks the tool once, not a thousand times.
/// </summary>
public class InferredLayoutPropertyTests
{
    private const int Files = 24;
    private const int ShapesPerFile = 50;

    [Fact]
    public void LayoutOfRandomShapesMatchesCapnpCompile()
    {
        using var dir = new TempDir();
        int shapes = 0, structs = 0, fields = 0, unions = 0;
        var schemas = new List<InferredSchema>();
        for (int file = 0; file < Files; file++)
        {
            var random = new RandomShapes(seed: 1000 + file);
            var members = Enumerable.Range(0, ShapesPerFile)
                .Select(i => new InferredField($"shape {i}", InferredType.StructOf(random.NextStruct())))
                .ToList();
            shapes += random.StructCount;
            var schema = new InferredSchema(new InferredStruct("Record", members),
                options: new InferredSchemaOptions { FileName = $"shapes{file}.capnp" });
            File.WriteAllText(dir.File(schema.FileName), schema.ToCapnpText(), new UTF8Encoding(false));
            schemas.Add(schema);
        }

        // One compiler run for all files (inferred files compile side by side: their ids all derive from their own file id).
        var compiled = SchemaSet.Load(CapnpTool.Run(["compile", "-o-", .. schemas.Select(s => s.FileName)], workingDirectory: dir.Path));
        foreach (var schema in schemas)
        {
            foreach (var s in schema.Structs)
            {
                var node = Assert.IsType<StructSchema>(compiled.GetById(s.Id));
                Assert.Equal($"{schema.FileName}:{s.Identifier}", node.DisplayName);
                Assert.Equal(s.DataWordCount, node.DataWordCount);
                Assert.Equal(s.PointerCount, node.PointerCount);
                Assert.Equal(s.Fields.Count, node.FieldsInSchemaOrder.Count);
                Assert.Equal(s.DiscriminantCount, node.DiscriminantCount);
                Assert.True(s.DiscriminantOffset == node.DiscriminantOffset,
                    $"{node.DisplayName}: model discriminant at {s.DiscriminantOffset}, capnp {node.DiscriminantOffset} ({string.Join(", ", node.FieldsInSchemaOrder.Select(f => f.Type))})");
                for (int i = 0; i < s.Fields.Count; i++)
                {
                    var model = s.Fields[i];
                    var field = node.FieldsInSchemaOrder[i];
                    Assert.Equal(model.Identifier, field.Name);
                    Assert.Equal((ushort)model.Ordinal, field.Ordinal);
                    Assert.Equal(model.DiscriminantValue, field.DiscriminantValue);
                    Assert.True(model.Offset == field.Offset,
                        $"{node.DisplayName}.{field.Name} ({field.Type}): model offset {model.Offset}, capnp {field.Offset}");
                    fields++;
                }
                structs++;
                if (s.IsUnion) unions++;
            }

            // The compiled schema reads back to the model: original names and .NET types survive the compiler.
            AssertSameModel(schema, InferredSchema.FromSchemaSet(compiled, $"{schema.FileName}:{schema.Root.Identifier}"));
            // And the bytes CapMap writes itself load to the same model.
            AssertSameModel(schema, InferredSchema.FromSchemaSet(SchemaSet.Load(schema.ToBytes())));
        }
        Assert.True(shapes >= 1000, $"only {shapes} shapes");
        Assert.True(unions >= 150, $"only {unions} unions");
        Assert.Equal(shapes + 2 * Files, structs); // plus each file's Record and Batch
        Assert.True(fields > 10_000, $"only {fields} fields");
    }

    internal static void AssertSameModel(InferredSchema expected, InferredSchema actual)
    {
        Assert.Equal(expected.FileId, actual.FileId);
        Assert.Equal(expected.FileName, actual.FileName);
        Assert.Equal(expected.Structs.Count, actual.Structs.Count);
        Assert.Equal(expected.Enums.Count, actual.Enums.Count);
        for (int i = 0; i < expected.Structs.Count; i++)
        {
            var e = expected.Structs[i];
            var a = actual.Structs[i];
            Assert.Equal((e.Id, e.Name, e.Identifier, e.DataWordCount, e.PointerCount), (a.Id, a.Name, a.Identifier, a.DataWordCount, a.PointerCount));
            Assert.Equal((e.IsUnion, e.DiscriminantOffset), (a.IsUnion, a.DiscriminantOffset));
            Assert.Equal(e.Fields.Count, a.Fields.Count);
            for (int j = 0; j < e.Fields.Count; j++)
            {
                var ef = e.Fields[j];
                var af = a.Fields[j];
                Assert.Equal((ef.Name, ef.Identifier, ef.Ordinal, ef.Offset, ef.DiscriminantValue, ef.Type.ToString(), ef.Clr),
                    (af.Name, af.Identifier, af.Ordinal, af.Offset, af.DiscriminantValue, af.Type.ToString(), af.Clr));
                Assert.Equal((ef.NullFlag?.Identifier, ef.FlagsNullOf?.Identifier), (af.NullFlag?.Identifier, af.FlagsNullOf?.Identifier));
                if (af.NullFlag is { } flag) Assert.Same(af, flag.FlagsNullOf);
            }
        }
        for (int i = 0; i < expected.Enums.Count; i++)
        {
            Assert.Equal(expected.Enums[i].Name, actual.Enums[i].Name);
            Assert.Equal(expected.Enums[i].Enumerants, actual.Enums[i].Enumerants);
            Assert.Equal(expected.Enums[i].EnumerantIdentifiers, actual.Enums[i].EnumerantIdentifiers);
        }
    }
}
