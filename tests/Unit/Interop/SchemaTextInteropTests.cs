using System.Text;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Schema;
using Xunit;
using Xunit.Abstractions;

namespace CapMap.Tests.Interop;

/// <summary>
/// <see cref="SchemaSetTextWriter"/> against the compiler: every test schema (and bench/bench.capnp) is compiled,
/// written back as text, compiled again, and the two sets must agree node for node: ids, names, struct sizes,
/// every field's offset, ordinal, code order, discriminant, type and default, enumerants, methods, constants and
/// annotations.
/// </summary>
public sealed class SchemaTextInteropTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-schematext-").FullName;
    private int _compiles;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> SchemaFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(CapnpTool.SchemaDirectory, "*.capnp").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        data.Add(BenchSchema);
        return data;
    }

    /// <summary>bench/bench.capnp, found above the test output in the source tree.</summary>
    private static string BenchSchema
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "bench", "bench.capnp");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException($"bench/bench.capnp was not found above {AppContext.BaseDirectory}.");
        }
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Written_text_compiles_to_the_same_nodes(string schemaFile)
    {
        var original = SchemaSet.Load(CapnpTool.CompileRequest(schemaFile));
        var (text, again) = RoundTrip(original, Path.GetFileName(schemaFile));
        try
        {
            SchemaSetComparison.AssertSameNodes(original, again);
        }
        catch
        {
            output.WriteLine(text);
            throw;
        }
    }

    [Fact]
    public void The_round_trip_notices_a_changed_ordinal()
    {
        // The comparison itself must fail on a layout change: swap two ordinals in interop.capnp's text.
        var original = SchemaSet.Load(CapnpTool.CompileRequest("interop.capnp"));
        string text = SchemaSetTextWriter.Write(original).Replace("int8Field @2 :Int8", "int8Field @3 :Int8")
            .Replace("int16Field @3 :Int16", "int16Field @2 :Int16");
        var again = Compile(text, "interop.capnp");
        Assert.ThrowsAny<Exception>(() => SchemaSetComparison.AssertSameNodes(original, again));
    }

    [Fact]
    public void The_text_decodes_a_message_as_the_original_schema_does()
    {
        string json = InteropVectors.Json(InteropVectors.Full());
        byte[] message = CapnpTool.JsonToBinary(json, "AllTypes");
        string written = Path.Combine(_dir, "interop.capnp");
        File.WriteAllText(written, SchemaSetTextWriter.Write(InteropSchema.Set));
        Assert.Equal(CapnpTool.BinaryToJson(message, "AllTypes"), CapnpTool.BinaryToJson(message, "AllTypes", written));
    }

    [Fact]
    public void Imported_files_become_scopes_and_keep_their_ids()
    {
        var set = SchemaSet.Load(CapnpTool.CompileRequest("interop.capnp"));
        string text = SchemaSetTextWriter.Write(set);
        Assert.Contains("struct Common @0x", text);
        Assert.Contains($"struct Point @0x{set.GetStruct("Point").Id:x16}", text);
        Assert.Contains("point @61 :Common.Point;", text);
    }

    [Fact]
    public void A_shadowed_name_is_reached_through_an_alias()
    {
        var set = SchemaSet.Load(CapnpTool.CompileRequest("schematext.capnp"));
        string text = SchemaSetTextWriter.Write(set);
        Assert.Contains("using RangeRef = Range;", text);
        Assert.Contains("outer @0 :RangeRef;", text);
        Assert.Contains("inner @1 :Range;", text);
    }

    [Fact]
    public void An_inferred_set_written_as_any_set_compiles_to_the_same_layout()
    {
        var record = new InferredStruct("Rec", [
            new InferredField("id", InferredType.Of(TypeKind.Int64)),
            new InferredField("name", InferredType.Of(TypeKind.Text)),
            new InferredField("flag", InferredType.Of(TypeKind.Bool)),
        ]);
        var inferred = new InferredSchema(record).ToSchemaSet();
        var (_, again) = RoundTrip(inferred, "inferred.capnp");
        SchemaSetComparison.AssertSameNodes(inferred, again);
    }

    [Fact]
    public void Values_the_schema_language_cannot_spell_are_refused_with_what_they_are()
    {
        var color = InteropSchema.AllTypes.GetField("enumField").Type;
        Assert.Contains("enum value 9 is not an enumerant", Assert.Throws<CapnpSchemaException>(() => CapnpLiteral.Format((ushort)9, color, "x")).Message);
        Assert.Contains("AnyPointer value has no literal form", Assert.Throws<CapnpSchemaException>(() => CapnpLiteral.Format(null, TypeSchema.AnyPointer, "x")).Message);
        Assert.Contains("element 1", Assert.Throws<CapnpSchemaException>(
            () => CapnpLiteral.Format(new object?[] { "a", null }, TypeSchema.ListOf(TypeSchema.Text), "x")).Message);
        Assert.Equal("[\"a\", \"b\\\"c\"]", CapnpLiteral.Format(new object?[] { "a", "b\"c" }, TypeSchema.ListOf(TypeSchema.Text), "x"));
    }

    private (string Text, SchemaSet Again) RoundTrip(SchemaSet set, string fileName)
    {
        string text = SchemaSetTextWriter.Write(set);
        return (text, Compile(text, fileName));
    }

    /// <summary>Compiles <paramref name="text"/> saved under the original file name, so display names compare equal.</summary>
    private SchemaSet Compile(string text, string fileName)
    {
        string dir = Directory.CreateDirectory(Path.Combine(_dir, $"compile{++_compiles}")).FullName;
        File.WriteAllText(Path.Combine(dir, fileName), text, new UTF8Encoding(false));
        return SchemaSet.Load(CapnpTool.Run(["compile", "-o-", fileName], workingDirectory: dir));
    }
}
