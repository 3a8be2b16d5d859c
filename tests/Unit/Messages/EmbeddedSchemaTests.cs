using CapMap.Messages;
using CapMap.Schema;
using CapMap.Tests.Interop;
using Xunit;

namespace CapMap.Tests.Messages;

/// <summary>A message carries its schema where stock readers never look: they read it exactly as without.</summary>
public sealed class EmbeddedSchemaTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-schema-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static EmbeddedSchema RecordsSchema()
    {
        byte[] request = CapnpTool.CompileRequest("records.capnp");
        return new EmbeddedSchema(request, SchemaSet.Load(request).GetStruct("Root").Id);
    }

    private string Build(string name, EmbeddedSchema? schema, bool append = false, int records = 30_000)
    {
        string path = Path.Combine(_dir, name);
        using var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 1L << 30, Schema = schema, Append = append, Overwrite = !append });
        MappedMessageBuilderTests.WriteRecords(builder, records, _ => false);
        builder.Complete(flush: false);
        return path;
    }

    [Fact]
    public void The_schema_comes_back_and_capnp_reads_the_message_exactly_as_without_it()
    {
        var schema = RecordsSchema();
        string with = Build("with.bin", schema), without = Build("without.bin", null);

        var read = EmbeddedSchema.Read(with);
        Assert.NotNull(read);
        Assert.Equal(schema.CodeGeneratorRequest, read!.CodeGeneratorRequest);
        Assert.Equal(schema.RootTypeId, read.RootTypeId);
        Assert.Equal("Root", SchemaSet.Load(read.CodeGeneratorRequest).Structs.Single(s => s.Id == read.RootTypeId).ShortName);
        Assert.Null(EmbeddedSchema.Read(without));

        string jsonWith = CapnpTool.BinaryToJson(File.ReadAllBytes(with), "Root", "records.capnp", shortJson: true);
        string jsonWithout = CapnpTool.BinaryToJson(File.ReadAllBytes(without), "Root", "records.capnp", shortJson: true);
        Assert.Equal(jsonWithout, jsonWith);
        MappedMessageBuilderTests.AssertRecords(with, 30_000);
    }

    [Fact]
    public void Each_appended_message_carries_its_own_schema()
    {
        var schema = RecordsSchema();
        string path = Build("stream.bin", null, records: 10);
        Build("stream.bin", schema, append: true, records: 20);
        Assert.Null(EmbeddedSchema.Read(path, 0));
        Assert.Equal(schema.RootTypeId, EmbeddedSchema.Read(path, 1)!.RootTypeId);
        Assert.Throws<MessageNotFoundException>(() => EmbeddedSchema.Read(path, 2)); // the caller's index is wrong, not the file
    }
}
