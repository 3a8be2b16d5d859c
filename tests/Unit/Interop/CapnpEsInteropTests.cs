using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Schema;
using CapMap.Tests.Messages;
using CapMap.Tests.Objects;
using CapMap.Tests.Schema;
using CapMap.Wire;
using Xunit;
using Xunit.Abstractions;

namespace CapMap.Tests.Interop;

/// <summary>
/// A second reader we did not write: capnp-es (npm; version pinned in Interop/capnp-es/package.json). Its schema
/// compiler generates struct classes from the test schemas, so the layout it reads with is its own, and
/// Interop/capnp-es/read.mjs prints what they read from files CapMap wrote as capnp-style JSON, compared here with
/// the values written. The npm packages are required, never skipped: `npm ci --prefix tests/Unit/Interop/capnp-es`
/// (.ci/run does it).
/// </summary>
public sealed class CapnpEsInteropTests(CapnpEsInteropTests.CapnpEs capnpEs, ITestOutputHelper output)
    : IClassFixture<CapnpEsInteropTests.CapnpEs>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-capnpes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static StructSchema AllTypes => InteropSchema.AllTypes;

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    public void Reads_a_mapped_message_with_a_streaming_list_from_the_child_writer(int checkpointEvery)
    {
        const int count = 1000;
        string path = Path.Combine(_dir, "records.bin");
        var (exit, stdout, stderr) = ChildWriter.Run(ChildWriter.StartInfo(path, count, checkpointEvery, "Fault"), TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, $"the child writer failed ({exit}): {stdout}{stderr}");
        // The streamed elements reach their Text and List(Text) through far pointers into other segments.
        Assert.True(MessageFileInfo.Read(path).SegmentCount > 1, "expected a multi-segment message");

        var expected = new Dictionary<string, object?>
        {
            ["label"] = "batch",
            ["records"] = Enumerable.Range(0, count).Select(i => new Dictionary<string, object?>
            {
                ["id"] = (long)i,
                ["name"] = $"record {i}",
                ["tags"] = new[] { "a", $"b{i}" },
            }).ToArray(),
        };
        var root = SchemaSet.Load(CapnpTool.CompileRequest("records.capnp")).GetStruct("Root");
        JsonValues.AssertStruct(capnpEs.Read("records", "Root", path), expected, root, exact: true);
    }

    public static TheoryData<string, bool> AllTypesCases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var (name, _) in InteropVectors.All())
        {
            data.Add(name, false);
            data.Add(name, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllTypesCases))]
    public void Reads_AllTypes_written_by_StructWriter(string vector, bool tinySegments)
    {
        var expected = InteropVectors.All().Single(v => v.Name == vector).Value;
        byte[] bytes;
        using (var arena = tinySegments
            // As in StructWriterInteropTests: two-word segments put nearly every object behind a far pointer, and
            // the root, as large as a segment may be, behind a double-far one.
            ? new HeapSegmentArena(firstSegmentWords: 2, maxSegmentWords: AllTypes.DataWordCount + AllTypes.PointerCount, fixedSegmentSize: true)
            : new HeapSegmentArena(firstSegmentWords: 1 << 16))
        {
            var message = new MessageBuilder(arena);
            new StructWriter(AllTypes).WriteRoot(message, ObjectTestSupport.ToStructInput(expected, AllTypes, InputStyle.Typed));
            bytes = message.ToFramedBytes();
            Assert.True(tinySegments ? arena.SegmentCount > 2 : arena.SegmentCount == 1, $"{arena.SegmentCount} segments");
        }
        string path = Path.Combine(_dir, "alltypes.bin");
        File.WriteAllBytes(path, bytes);

        var json = UndoKnownDefects(capnpEs.Read("interop", "AllTypes", path), AllTypes);
        try
        {
            // Every value written is read back ...
            JsonValues.AssertStruct(json, AsCapnpEsReads(expected, AllTypes), AllTypes, exact: false);
            // ... and every field capnp-es reports (defaults too) agrees with our own reader.
            using var ours = MessageReader.FromFramedBytes(bytes);
            JsonValues.AssertStruct(json, AsCapnpEsReads(DynamicValueReader.ReadStruct(ours.GetRoot(), AllTypes), AllTypes), AllTypes, exact: true);
        }
        catch
        {
            output.WriteLine($"capnp-es says: {json.GetRawText()}");
            throw;
        }
    }

    [Fact]
    public void Capnp_es_misreads_32_bit_fields_whose_default_needs_more_than_16_bits()
    {
        // capnp's own encoding of an empty AllTypes: defaultInt32 reads 123456 and defaultUInt32 4000000000 in capnp.
        // capnp-es 0.0.16 XORs an Int32 with only the low 16 bits of its default and returns a UInt32 with a default
        // as a signed number. If this fails, capnp-es changed: update UndoKnownDefects.
        string path = Path.Combine(_dir, "empty.bin");
        File.WriteAllBytes(path, CapnpTool.TextToBinary("()", "AllTypes"));
        var json = capnpEs.Read("interop", "AllTypes", path);
        Assert.Equal(123456 & 0xFFFF, json.GetProperty("defaultInt32").GetInt32());
        Assert.Equal(unchecked((int)4000000000u), json.GetProperty("defaultUInt32").GetInt32());
        var undone = UndoKnownDefects(json, AllTypes);
        Assert.Equal(123456, undone.GetProperty("defaultInt32").GetInt32());
        Assert.Equal(4000000000u, undone.GetProperty("defaultUInt32").GetUInt32());
    }

    /// <summary>
    /// Undoes capnp-es 0.0.16's misreading of 32-bit fields with a default (stored as value XOR default): an Int32
    /// comes back XORed with the default's high 16 bits, a UInt32 as a signed number. Both are exact inverses, so
    /// every bit of these fields is still compared.
    /// </summary>
    internal static JsonElement UndoKnownDefects(JsonElement json, StructSchema schema)
    {
        var node = JsonNode.Parse(json.GetRawText())!.AsObject();
        Undo(node, schema);
        return JsonValues.Parse(node.ToJsonString());

        static void Undo(JsonObject json, StructSchema schema)
        {
            foreach (var field in schema.Fields)
            {
                if (json[field.Name] is not { } value) continue;
                if (field.IsGroup)
                {
                    Undo(value.AsObject(), field.GroupType!);
                    continue;
                }
                var type = field.Type;
                switch (type.Kind)
                {
                    case TypeKind.Int32 when field.DefaultValue?.Value is int d && (d & ~0xFFFF) != 0:
                        json[field.Name] = value.GetValue<int>() ^ (d & ~0xFFFF);
                        break;
                    case TypeKind.UInt32 when field.DefaultValue?.Value is uint d && d != 0:
                        json[field.Name] = unchecked((uint)value.GetValue<int>());
                        break;
                    case TypeKind.Struct:
                        Undo(value.AsObject(), type.StructType!);
                        break;
                    case TypeKind.List when type.ElementType!.Kind == TypeKind.Struct:
                        foreach (var element in value.AsArray()) Undo(element!.AsObject(), type.ElementType.StructType!);
                        break;
                }
            }
        }
    }

    /// <summary>
    /// An expected struct as capnp-es reads it: its generated classes have no has-method for Text, so a null Text
    /// reads as the field's default, or "".
    /// </summary>
    internal static Dictionary<string, object?> AsCapnpEsReads(object value, StructSchema schema) =>
        ((IEnumerable<KeyValuePair<string, object?>>)value).ToDictionary(kv => kv.Key, kv =>
        {
            var field = schema.GetField(kv.Key);
            if (field.IsGroup) return kv.Value is null ? null : AsCapnpEsReads(kv.Value, field.GroupType!);
            return AsCapnpEsReads(kv.Value, field.Type, field.DefaultValue?.Value);
        });

    private static object? AsCapnpEsReads(object? value, TypeSchema type, object? fieldDefault = null)
    {
        // A pointer field's default (our reader returns the schema's own instance) is compared as it is.
        if (value is not null && ReferenceEquals(value, fieldDefault)) return value;
        return type.Kind switch
        {
            TypeKind.Text => value ?? fieldDefault ?? "",
            TypeKind.Struct when value is not null => AsCapnpEsReads(value, type.StructType!),
            TypeKind.List when value is not null && type.ElementType!.Kind is TypeKind.Struct or TypeKind.Text =>
                ((IEnumerable)value).Cast<object?>().Select(e => AsCapnpEsReads(e, type.ElementType!)).ToArray(),
            _ => value,
        };
    }

    /// <summary>
    /// capnp-es set up once per test class: finds Interop/capnp-es in the source tree, checks its npm packages are
    /// installed, and generates the struct classes of the test schemas into a temporary folder.
    /// </summary>
    public sealed class CapnpEs : IDisposable
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
        private static readonly string[] Schemas = ["interop.capnp", "common.capnp", "records.capnp"];

        private readonly string _scripts;
        private readonly string _generated;

        public CapnpEs()
        {
            _scripts = FindScripts();
            if (!File.Exists(Path.Combine(_scripts, "node_modules", "capnp-es", "package.json")))
                throw new InvalidOperationException(
                    $"capnp-es is not installed in {_scripts}: run `npm ci --prefix tests/Unit/Interop/capnp-es` (.ci/run does).");
            _generated = Directory.CreateTempSubdirectory("capmap-capnpes-gen-").FullName;
            // One request for all files: the generated modules import each other (interop imports common).
            Generate(CapnpTool.Run(["compile", "-o-", .. Schemas]), _generated);
        }

        public void Dispose() => Directory.Delete(_generated, recursive: true);

        /// <summary>What capnp-es reads from the message file, with the struct class <paramref name="rootType"/> generated from <c>schema.capnp</c>.</summary>
        public JsonElement Read(string schema, string rootType, string messagePath) =>
            Assert.Single(ReadAll(Path.Combine(_generated, schema + ".js"), rootType, messagePath));

        /// <summary>
        /// Generates capnp-es's struct classes for every file of <paramref name="request"/> (a CodeGeneratorRequest)
        /// into <paramref name="outDir"/>; the module of <c>x.capnp</c> is <c>x.js</c> there.
        /// </summary>
        public void Generate(byte[] request, string outDir)
        {
            Directory.CreateDirectory(outDir);
            string requestPath = Path.Combine(outDir, "request.bin");
            File.WriteAllBytes(requestPath, request);
            Node("generate.mjs", requestPath, outDir);
        }

        /// <summary>What capnp-es reads from each message of the file, in order, with the generated module <paramref name="modulePath"/>.</summary>
        public IReadOnlyList<JsonElement> ReadAll(string modulePath, string rootType, string messagePath) =>
            Node("read.mjs", modulePath, rootType, messagePath)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(JsonValues.Parse).ToList();

        // The test output sits below tests/Unit (bin/<cfg>/<tfm>); the scripts and node_modules stay in the source tree.
        private static string FindScripts()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "Interop", "capnp-es");
                if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
            }
            throw new InvalidOperationException($"Interop/capnp-es was not found above {AppContext.BaseDirectory}.");
        }

        private string Node(string script, params string[] args) =>
            ToolProcess.Run("node", [Path.Combine(_scripts, script), .. args], Timeout,
                "Node.js is required by the capnp-es interop tests.", _scripts);
    }
}
