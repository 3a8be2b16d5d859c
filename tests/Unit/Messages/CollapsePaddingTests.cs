using CapMap.Messages;
using CapMap.Objects;
using CapMap.Objects.Codecs;
using CapMap.Schema.Inference;
using CapMap.Tests.Interop;
using Xunit;

namespace CapMap.Tests.Messages;

/// <summary>
/// A gap Complete removes with collapse-range leaves less than two file-system blocks of padding. Collapse-range
/// removes whole blocks only; it was aligned to 64 KiB, and a sparse lane's segment starts at its lowest child,
/// anywhere in a block, so up to 128 KiB of zeros stayed in the file (54 KB in an export of 5,000 FileInfo). The same
/// records are written twice, closed by a copy (to the byte) and by collapse-range (the copy limit set to 0, so that
/// a small message takes the path of a large one), and the two files differ by that padding only. The temp
/// directory is ext4, where collapse-range works and the block is 4 KiB.
/// </summary>
public sealed class CollapsePaddingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-collapse-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_collapsed_gap_leaves_less_than_two_blocks_of_padding()
    {
        var records = Enumerable.Range(0, 400).Select(i => (object?)new FileRecord(i)).ToList();
        var schema = SchemaInferrer.Infer(records);
        string copied = Export(schema, records, "copied.bin", copyTailLimitBytes: null, GapClosing.Copied);
        string collapsed = Export(schema, records, "collapsed.bin", copyTailLimitBytes: 0, GapClosing.Collapsed);

        long padding = new FileInfo(collapsed).Length - new FileInfo(copied).Length;
        Assert.True(padding is >= 0 and < 2 * 4096, $"the collapsed file keeps {padding} bytes more than the copied one");
        // The same message either way, as Cap'n Proto's reference reads it.
        string schemaDir = Directory.CreateDirectory(Path.Combine(_dir, "schema")).FullName;
        File.WriteAllText(Path.Combine(schemaDir, "records.capnp"), schema.ToCapnpText());
        byte[] Canonical(string path) =>
            CapnpTool.Run(["convert", "binary:canonical", "records.capnp", schema.Root.Identifier], File.ReadAllBytes(path), schemaDir);
        Assert.Equal(Canonical(copied), Canonical(collapsed));
    }

    private string Export(InferredSchema schema, IReadOnlyList<object?> records, string name, long? copyTailLimitBytes, GapClosing expected)
    {
        var codec = new InferredRecordCodec(schema);
        var root = schema.ToSchemaSet().GetStruct(schema.Root.Identifier);
        string path = Path.Combine(_dir, name);
        var options = new MappedMessageOptions { ReserveBytes = 1L << 30, Schema = CarriedSchema.ForInferred(schema) };
        if (copyTailLimitBytes is { } limit) options = options with { CopyTailLimitBytes = limit };
        using var writer = ObjectMessageWriter.Create(path, options, root, null, new ObjectWriterOptions());
        var list = FieldPath.Resolve(root, schema.Root.Fields[0].Identifier)!;
        foreach (var record in records) writer.Append(list, element => codec.Write(element, record));
        var summary = writer.Complete(flush: false);
        Assert.True(summary.SparseLanes, "ext4 gives the list a sparse lane, whose holes Complete must close");
        Assert.Equal(expected, summary.Gaps & expected);
        return path;
    }

    /// <summary>A file as Get-ChildItem gives it, in the parts that shape the layout: texts and a nested object.</summary>
    private sealed class FileRecord(int i)
    {
        public string Name { get; } = $"file-{i}.txt";
        public long Length { get; } = 10 + i % 90;
        public string FullName { get; } = $"/data/d{i / 100}/file-{i}.txt";
        public VersionRecord VersionInfo { get; } = new($"/data/d{i / 100}/file-{i}.txt");
    }

    /// <summary>A text file's version information: its name, and every other field empty.</summary>
    private sealed class VersionRecord(string fileName)
    {
        public string FileName { get; } = fileName;
        public int FileMajorPart { get; }
        public string? Comments { get; }
        public string? ProductName { get; }
    }
}
