using CapMap.Messages;
using CapMap.Objects;
using CapMap.Objects.Codecs;
using CapMap.Schema.Inference;
using CapMap.Tests.Interop;
using Xunit;

namespace CapMap.Tests.Objects.Codecs;

/// <summary>
/// A file of records with nested objects is as small as Cap'n Proto's canonical encoding of the same message
/// (<c>capnp convert binary:canonical</c> by the schema the file carries), its embedded schema and 4 KiB header page
/// aside: issue 22 asks for at most 2 % more. The records look like <c>Get-ChildItem</c>'s: a nested version
/// object whose last fields are empty (as a text file's <c>FileVersionInfo</c>), a stat object ending in false
/// flags and a list of nested objects ending in a null. The temp directory is ext4, so the collapse path is the one
/// a large export takes there.
/// </summary>
public sealed class CanonicalSizeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-canonical-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Nested structs are written only as large as their values (at their schema's size they took 1.40 times the canonical bytes here).</summary>
    [Fact]
    public void Nested_objects_with_empty_last_fields_take_no_more_than_the_canonical_encoding()
    {
        var (bytes, canonical) = ExportAndCanonicalize("copied.bin", 400, copyTailLimitBytes: null);
        Assert.True(bytes <= canonical * 1.02, $"{bytes} bytes of records against {canonical} canonical ({(double)bytes / canonical:F4})");
    }

    /// <summary>
    /// A gap collapsed with collapse-range leaves less than two of the file system's blocks as padding (with 64 KiB
    /// alignment it left up to 128 KiB: 54 KB in 5,000 FileInfo records). The copy limit is set to 0 so that a small
    /// message takes the path of a large one.
    /// </summary>
    [Fact]
    public void A_collapsed_gap_leaves_less_than_two_blocks_of_padding()
    {
        var (bytes, canonical) = ExportAndCanonicalize("collapsed.bin", 400, copyTailLimitBytes: 0);
        Assert.True(bytes - canonical < 2 * 4096 + 64, $"{bytes} bytes of records against {canonical} canonical: {bytes - canonical} bytes of padding");
    }

    /// <summary>Writes <paramref name="count"/> records; returns the file's bytes less schema and header page, and the canonical encoding's bytes.</summary>
    private (long Bytes, long Canonical) ExportAndCanonicalize(string name, int count, long? copyTailLimitBytes)
    {
        var records = Enumerable.Range(0, count).Select(i => (object?)new FileRecord(i)).ToList();
        var schema = SchemaInferrer.Infer(records);
        var codec = new InferredRecordCodec(schema);
        var root = schema.ToSchemaSet().GetStruct(schema.Root.Identifier);
        string path = Path.Combine(_dir, name);
        var options = new MappedMessageOptions { ReserveBytes = 1L << 30, Schema = CarriedSchema.ForInferred(schema) };
        if (copyTailLimitBytes is { } limit) options = options with { CopyTailLimitBytes = limit };
        using (var writer = ObjectMessageWriter.Create(path, options, root, null, new ObjectWriterOptions()))
        {
            var list = FieldPath.Resolve(root, schema.Root.Fields[0].Identifier)!;
            foreach (var record in records) writer.Append(list, element => codec.Write(element, record));
            var summary = writer.Complete(flush: false);
            var expected = copyTailLimitBytes is null ? GapClosing.Moved : GapClosing.Collapsed;
            Assert.Equal(expected, summary.Gaps & expected);
        }

        string schemaDir = Directory.CreateDirectory(Path.Combine(_dir, name + "-schema")).FullName;
        File.WriteAllText(Path.Combine(schemaDir, "records.capnp"), schema.ToCapnpText());
        byte[] file = File.ReadAllBytes(path);
        byte[] canonical = CapnpTool.Run(["convert", "binary:canonical", "records.capnp", schema.Root.Identifier], file, schemaDir);
        long embedded = EmbeddedSchema.Read(path)!.CodeGeneratorRequest.Length;
        return (file.Length - embedded - MappedFileLayout.HeaderBytes, canonical.Length);
    }

    /// <summary>A file as Get-ChildItem gives it, in the parts that matter for the layout.</summary>
    private sealed class FileRecord(int i)
    {
        public string Name { get; } = $"file-{i}.txt";
        public long Length { get; } = 10 + i % 90;
        // A record keeps its schema's size (the list is opened before its records are known): its last data word,
        // where the Bools go, is not zero here, as a FileInfo's Exists is not.
        public bool Exists { get; } = true;
        public VersionRecord VersionInfo { get; } = new($"/data/d{i / 100}/file-{i}.txt");
        public StatRecord UnixStat { get; } = new(i);
        public List<TagRecord> Tags { get; } = [new($"t{i % 3}", null), new("owner", null)];
    }

    /// <summary>A text file's version information: its name, and every other field empty.</summary>
    private sealed class VersionRecord(string fileName)
    {
        public string FileName { get; } = fileName;
        public int FileMajorPart { get; }
        public int FileMinorPart { get; }
        public bool IsDebug { get; }
        public bool IsPatched { get; }
        public string? Comments { get; }
        public string? CompanyName { get; }
        public string? ProductName { get; }
        public string? Language { get; }
    }

    /// <summary>A stat whose last fields are flags, false for a plain file.</summary>
    private sealed class StatRecord(int i)
    {
        public long Inode { get; } = 1_000_000 + i;
        public int Mode { get; } = 0x81A4;
        public long BlockSize { get; } = 4096;
        public bool IsSetUid { get; }
        public bool IsSetGid { get; }
        public bool IsSticky { get; }
    }

    /// <summary>An element of a list of structs whose last field is null in every element.</summary>
    private sealed class TagRecord(string key, string? note)
    {
        public string Key { get; } = key;
        public string? Note { get; } = note;
    }
}
