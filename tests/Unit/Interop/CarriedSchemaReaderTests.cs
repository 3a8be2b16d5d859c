using System.Text.Json;
using CapMap.Objects.Codecs;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Objects;
using CapMap.Tests.Schema;
using CapMap.Tests.Schema.Inference;
using Xunit;
using Xunit.Abstractions;

namespace CapMap.Tests.Interop;

/// <summary>
/// Files that carry their schema (every file CapMap writes) read exactly as before by readers we did not write:
/// Cap'n Proto's C++ <c>FlatArrayMessageReader</c> straight over the mapped file (Interop/cpp/flat_reader.c++,
/// built here against libcapnp), and capnp-es. Both read by the schema <c>Get-CapnpSchema -AsText</c> gives for the
/// file, compiled by <c>capnp</c>, and every message of a two-message stream (the second one appended).
/// </summary>
public sealed class CarriedSchemaReaderTests(
    CapnpEsInteropTests.CapnpEs capnpEs, CarriedSchemaReaderTests.FlatReader flatReader, ITestOutputHelper output)
    : IClassFixture<CapnpEsInteropTests.CapnpEs>, IClassFixture<CarriedSchemaReaderTests.FlatReader>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-carried-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_file_written_with_an_explicit_schema_reads_the_same_in_cpp_and_capnp_es()
    {
        var allTypes = InteropSchema.AllTypes;
        var embedded = CarriedSchema.ForExplicit(InteropSchema.Set, allTypes, InteropSchema.RequestBytes);
        var messages = new[] { InteropVectors.Full(), InteropVectors.Alternate() };
        string path = Path.Combine(_dir, "alltypes.bin");
        for (int i = 0; i < messages.Length; i++)
        {
            using var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 1L << 30, Schema = embedded, Append = i > 0 });
            new StructWriter(allTypes).Write(builder.InitRoot(allTypes.DataWordCount, allTypes.PointerCount),
                ObjectTestSupport.ToStructInput(messages[i], allTypes, InputStyle.Typed));
            builder.Complete(flush: false);
        }

        var carried = CarriedSchema.Read(path)!;
        Assert.Null(carried.Inferred);
        string request = CompileAsText(SchemaSetTextWriter.Write(carried.SchemaSet, carried.Root), "interop.capnp");

        var cpp = flatReader.Read(request, "AllTypes", path);
        var es = ReadWithCapnpEs(request, "interop", "AllTypes", path);
        Assert.Equal(messages.Length, cpp.Count);
        Assert.Equal(messages.Length, es.Count);
        for (int i = 0; i < messages.Length; i++)
        {
            Check(cpp[i], json => JsonValues.AssertStruct(json, messages[i], allTypes, exact: false));
            Check(es[i], json => JsonValues.AssertStruct(CapnpEsInteropTests.UndoKnownDefects(json, allTypes),
                CapnpEsInteropTests.AsCapnpEsReads(messages[i], allTypes), allTypes, exact: false));
        }
    }

    [Fact]
    public void A_file_written_with_an_inferred_schema_reads_the_same_in_cpp_and_capnp_es()
    {
        var batches = new[] { Records(0, 40), Records(40, 3) };
        var schema = SchemaInferrer.Infer(batches[0]);
        var codec = new InferredRecordCodec(schema);
        var dictionaries = new DictionaryRecordCodec(schema);
        var root = schema.ToSchemaSet().GetStruct(schema.Root.Identifier);
        string path = Path.Combine(_dir, "inferred.bin");
        for (int i = 0; i < batches.Length; i++)
        {
            var options = new MappedMessageOptions { ReserveBytes = 1L << 30, Schema = CarriedSchema.ForInferred(schema), Append = i > 0 };
            using var writer = ObjectMessageWriter.Create(path, options, root, null, new ObjectWriterOptions());
            var records = FieldPath.Resolve(root, schema.Root.Fields[0].Identifier)!;
            foreach (var record in batches[i]) writer.Append(records, element => codec.Write(element, record));
            writer.Complete(flush: false);
        }

        var carried = CarriedSchema.Read(path)!;
        Assert.NotNull(carried.Inferred);
        string request = CompileAsText(carried.Inferred!.ToCapnpText(), "inferred.capnp");
        var recordStruct = root.Fields[0].Type.ElementType!.StructType!;
        // The field types the test is about are really there: a map (a list of entry structs), lists, a DateTime as Int64, Data.
        Assert.Contains(recordStruct.Fields, f => f.Type.Kind == TypeKind.List && f.Type.ElementType!.Kind == TypeKind.Struct);
        Assert.Contains(recordStruct.Fields, f => f.Type.Kind == TypeKind.List);
        Assert.Contains(recordStruct.Fields, f => f.Type.Kind == TypeKind.Data);
        Assert.Equal(TypeKind.Int64, recordStruct.GetField("when").Type.Kind);

        var cpp = flatReader.Read(request, schema.Root.Identifier, path);
        var es = ReadWithCapnpEs(request, "inferred", schema.Root.Identifier, path);
        Assert.Equal(batches.Length, cpp.Count);
        Assert.Equal(batches.Length, es.Count);
        for (int i = 0; i < batches.Length; i++)
        {
            var expected = new Dictionary<string, object?> { [root.Fields[0].Name] = batches[i].Select(r => WithUnsetNullFlags(codec.Record, dictionaries.Encode(r))).ToArray() };
            Check(cpp[i], json => JsonValues.AssertStruct(json, expected, root, exact: true));
            Check(es[i], json => JsonValues.AssertStruct(json, CapnpEsInteropTests.AsCapnpEsReads(expected, root), root, exact: true));
        }
    }

    /// <summary>
    /// The stored values as a reader sees them: <see cref="DictionaryRecordCodec.Encode"/> names a null flag only when
    /// it is set, but every reader shows the flags of present values too, as false.
    /// </summary>
    private static IReadOnlyDictionary<string, object?> WithUnsetNullFlags(InferredStruct s, IReadOnlyDictionary<string, object?> stored)
    {
        var result = new Dictionary<string, object?>(stored, StringComparer.Ordinal);
        foreach (var f in s.Fields)
        {
            if (f.FlagsNullOf is not null) result.TryAdd(f.Identifier, false);
            else if (result.TryGetValue(f.Identifier, out var v) && v is not null) result[f.Identifier] = WithUnsetNullFlags(f.Type, v);
        }
        return result;
    }

    private static object? WithUnsetNullFlags(InferredType type, object value) => type.Kind switch
    {
        TypeKind.Struct => WithUnsetNullFlags(type.Struct!, (IReadOnlyDictionary<string, object?>)value),
        TypeKind.List => ((IReadOnlyList<object?>)value).Select(e => e is null ? null : WithUnsetNullFlags(type.Element!, e)).ToList(),
        _ => value,
    };

    /// <summary>Objects as they come: nested objects, lists, text (some missing), bytes, a DateTime, a .NET enum, a Guid.</summary>
    private static List<object?> Records(int first, int count) => Enumerable.Range(first, count).Select(i => (object?)new Dictionary<string, object?>
    {
        ["Id"] = i,
        ["Name"] = i % 7 == 3 ? null : $"record {i} ✓",
        ["When"] = new DateTime(2026, 12, 2, 1, 2, 3, DateTimeKind.Utc).AddTicks(i * 1234567L),
        ["Day"] = (DayOfWeek)(i % 7),
        ["Ratio"] = i / 8.0,
        ["Ok"] = i % 2 == 0,
        ["Bytes"] = new byte[] { 0, (byte)i, 0xff },
        ["Key"] = new Guid(i, 1, 2, [3, 4, 5, 6, 7, 8, 9, 10]),
        ["Tags"] = new[] { "a", $"t{i}" },
        ["Counts"] = new List<long> { i, -i, long.MaxValue },
        ["Inner"] = new Dictionary<string, object?> { ["Level"] = (byte)(i % 200), ["Label"] = $"inner {i}" },
    }).ToList();

    private string CompileAsText(string text, string fileName)
    {
        string dir = Directory.CreateDirectory(Path.Combine(_dir, Path.GetFileNameWithoutExtension(fileName) + "-schema")).FullName;
        File.WriteAllText(Path.Combine(dir, fileName), text);
        string request = Path.Combine(dir, "request.bin");
        File.WriteAllBytes(request, CapnpTool.Run(["compile", "-o-", fileName], workingDirectory: dir));
        return request;
    }

    private IReadOnlyList<JsonElement> ReadWithCapnpEs(string request, string module, string rootType, string path)
    {
        string generated = Path.Combine(_dir, module + "-capnp-es");
        capnpEs.Generate(File.ReadAllBytes(request), generated);
        return capnpEs.ReadAll(Path.Combine(generated, module + ".js"), rootType, path);
    }

    private void Check(JsonElement json, Action<JsonElement> assert)
    {
        try
        {
            assert(json);
        }
        catch
        {
            output.WriteLine(json.GetRawText());
            throw;
        }
    }

    /// <summary>
    /// Interop/cpp/flat_reader.c++ built once per test class with g++ against libcapnp and libcapnp-json. The
    /// tools are required, never skipped: .ci/run installs g++ and libcapnp-dev.
    /// </summary>
    public sealed class FlatReader : IDisposable
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
        private readonly string _dir = Directory.CreateTempSubdirectory("capmap-flatreader-").FullName;
        private readonly string _program;

        public FlatReader()
        {
            string source = FindSource();
            _program = Path.Combine(_dir, "flat_reader");
            Run("g++", ["-std=c++17", "-O1", "-o", _program, source, "-lcapnp-json", "-lcapnp", "-lkj"]);
        }

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        /// <summary>One JSON object per message of <paramref name="messagePath"/>, read by the schema of <paramref name="requestPath"/>.</summary>
        public IReadOnlyList<JsonElement> Read(string requestPath, string rootType, string messagePath) =>
            Run(_program, [requestPath, rootType, messagePath]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(JsonValues.Parse).ToList();

        private static string FindSource()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "Interop", "cpp", "flat_reader.c++");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException($"Interop/cpp/flat_reader.c++ was not found above {AppContext.BaseDirectory}.");
        }

        private static string Run(string program, IEnumerable<string> args) =>
            ToolProcess.Run(program, args, Timeout, "the C++ reader tests need g++ and libcapnp-dev (.ci/run installs them).");
    }
}
