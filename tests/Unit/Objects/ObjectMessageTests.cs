using System.Collections;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Schema;
using CapMap.Tests.Interop;
using CapMap.Wire;
using Xunit;
using static CapMap.Tests.Objects.ObjectTestSupport;

namespace CapMap.Tests.Objects;

/// <summary>
/// The object layer: field paths, writing records by path into a mapped message (unions, groups, nested
/// structs, one streaming list at a time, stale structs) and reading them back by path.
/// </summary>
public sealed class ObjectMessageTests : IDisposable
{
    private static readonly Lazy<SchemaSet> s_set = new(() => SchemaSet.Load(CapnpTool.CompileRequest("objects.capnp")));
    private static StructSchema Report => s_set.Value.GetStruct("Report");

    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-objmsg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static FieldPath Path(string path) => FieldPath.Resolve(Report, path)!;

    private ObjectMessageWriter NewWriter(object? rootProperties = null) =>
        ObjectMessageWriter.Create(System.IO.Path.Combine(_dir, "m.bin"), new MappedMessageOptions { ReserveBytes = 1L << 30 },
            Report, rootProperties, new ObjectWriterOptions());

    private List<StructValue> Read(string file, string? path) =>
        ReadWith(file, path is null ? null : Path(path));

    private static List<StructValue> ReadWith(string file, FieldPath? path, int skip = 0, int first = int.MaxValue)
    {
        using var reader = ObjectMessageReader.Open(file, Report, path);
        return reader.Read(skip, first).ToList();
    }

    [Fact]
    public void Paths_resolve_to_lists_structs_and_groups_with_the_schemas_spelling()
    {
        var samples = Path("DETAIL.Samples");
        Assert.True(samples.IsList);
        Assert.Equal("detail.samples", samples.Path);
        Assert.Equal("Rec", samples.ElementSchema.ShortName);
        Assert.False(Path("detail").IsList);
        Assert.True(Path("meta").Field.IsGroup);
    }

    [Theory]
    [InlineData(null, FieldPathError.Required)]
    [InlineData("nope", FieldPathError.NotFound)]
    [InlineData("detail.nope", FieldPathError.NotFound)]
    [InlineData("detail.note", FieldPathError.TypeNotSupported)]
    [InlineData("records.id", FieldPathError.TypeNotSupported)]
    public void Bad_paths_say_what_is_wrong(string? path, FieldPathError error)
    {
        var e = Assert.Throws<FieldPathException>(() => FieldPath.Resolve(Report, path));
        Assert.Equal(error, e.Error);
    }

    [Fact]
    public void Without_a_path_the_root_is_the_target_only_when_asked_for()
    {
        Assert.Null(FieldPath.Resolve(s_set.Value.GetStruct("Rec"), null, rootIfNoList: true));
        Assert.Equal("samples", FieldPath.Resolve(s_set.Value.GetStruct("Detail"), null)!.Path);
    }

    [Fact]
    public void Records_go_to_lists_structs_unions_and_groups_and_read_back_by_path()
    {
        string file;
        using (var writer = NewWriter(H(("meta", H(("owner", "ops"))))))
        {
            file = writer.Builder.Path;
            writer.Write(Path("detail"), H(("note", "n")), strict: false);
            for (uint i = 0; i < 3; i++) writer.Write(Path("records"), H(("id", i), ("name", $"r{i}")), strict: false);
            writer.Write(Path("hosts"), H(("id", 7u)), strict: false);
            writer.Write(Path("meta"), H(("version", 2u)), strict: false);
            writer.Write(Path("detail.samples"), H(("id", 9u)), strict: false);
            Assert.Equal("detail.samples", writer.OpenList);
            writer.Complete(flush: false);
        }

        Assert.Equal(new object[] { 0u, 1u, 2u }, Read(file, "records").Select(r => r["id"]).ToArray());
        Assert.Equal(new object[] { 1u }, ReadWith(file, Path("records"), skip: 1, first: 1).Select(r => r["id"]).ToArray());
        Assert.Equal(7u, Assert.Single(Read(file, "hosts"))["id"]);
        Assert.Equal(9u, Assert.Single(Read(file, "detail.samples"))["id"]);
        var meta = Assert.Single(Read(file, "meta"));
        Assert.Equal("ops", meta["owner"]);
        Assert.Equal(2u, meta["version"]);
        Assert.Equal("n", Assert.Single(Read(file, "detail"))["note"]);
        Assert.Equal("hosts", Assert.Single(Read(file, null)).Which);
    }

    [Fact]
    public void A_union_member_that_is_not_set_reads_as_nothing()
    {
        string file;
        using (var writer = NewWriter(H(("label", "x"))))
        {
            file = writer.Builder.Path;
            writer.Complete(flush: false);
        }
        Assert.Empty(Read(file, "hosts"));
        Assert.Empty(Read(file, "detail"));
    }

    [Fact]
    public void A_bad_record_leaves_nothing_behind()
    {
        using var writer = NewWriter();
        writer.Write(Path("records"), H(("id", 1u)), strict: false);
        Assert.Throws<CapnpValueException>(() => writer.Write(Path("records"), H(("id", "not a number")), strict: false));
        Assert.Throws<CapnpValueException>(() => writer.Write(Path("records"), H(("id", 2u), ("extra", 1)), strict: true));
        Assert.Throws<CapnpValueException>(() => writer.Write(Path("detail"), H(("note", new object[] { 1 })), strict: false));
        Assert.Equal(1, writer.Builder.AppendedCount);
    }

    [Fact]
    public void Root_properties_are_checked_before_the_file_exists()
    {
        string file = System.IO.Path.Combine(_dir, "m.bin");
        var streamed = Assert.Throws<RootPropertiesException>(() => NewWriter(H(("records", new object[0]))));
        Assert.Equal("records", streamed.StreamedList?.Name);
        var bad = Assert.Throws<RootPropertiesException>(() => NewWriter(H(("meta", H(("version", "x"))))));
        Assert.NotNull(bad.ValueError);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void A_list_closed_by_streaming_another_cannot_be_reopened()
    {
        using var writer = NewWriter();
        writer.Write(Path("records"), H(("id", 1u)), strict: false);
        writer.Write(Path("detail.samples"), H(("id", 2u)), strict: false);
        var e = Assert.Throws<ListAlreadyCompletedException>(() => writer.Write(Path("records"), H(("id", 3u)), strict: false));
        Assert.Equal("records", e.Path);
    }

    [Fact]
    public void A_struct_created_while_a_list_streams_is_not_written_through_after_the_list_grew()
    {
        using var writer = NewWriter();
        writer.Write(Path("records"), H(("id", 1u)), strict: false);
        writer.Write(Path("detail"), H(("note", "set while streaming")), strict: false);
        writer.Write(Path("records"), H(("id", 2u)), strict: false);
        var e = Assert.Throws<MovedStructException>(() => writer.Write(Path("detail.samples"), H(("id", 3u)), strict: false));
        Assert.Equal("detail", e.StructPath);
        Assert.Equal("detail.samples", e.TargetPath);
    }

    [Fact]
    public void A_struct_created_before_streaming_stays_usable_however_far_the_list_grows()
    {
        string file;
        using (var writer = NewWriter())
        {
            file = writer.Builder.Path;
            writer.Write(Path("detail"), H(("note", "before")), strict: false);
            // 4 KiB names: the list outgrows its first 1 MiB gap, so the segments after it really move.
            for (uint i = 0; i < 600; i++) writer.Write(Path("records"), H(("id", i), ("name", new string('x', 4096))), strict: false);
            writer.Write(Path("detail.samples"), H(("id", 1u)), strict: false);
            writer.Complete(flush: false);
        }
        Assert.Equal(600, Read(file, "records").Count);
        Assert.Equal("before", Assert.Single(Read(file, "detail"))["note"]);
        Assert.Equal(1u, Assert.Single(Read(file, "detail.samples"))["id"]);
    }

    [Fact]
    public void Segments_opened_while_a_stream_is_open_change_epoch_when_it_grows_and_no_others_do()
    {
        using var builder = MappedMessageBuilder.Create(System.IO.Path.Combine(_dir, "e.bin"), new MappedMessageOptions { ReserveBytes = 1L << 30 });
        var root = builder.InitRoot(0, 3);
        var before = root.InitStruct(1, 1, 0);
        var list = builder.OpenStructList(root, 0, 1, 0);
        var during = root.InitStruct(2, 1, 0); // placed while the stream is open: in a segment after it
        long epoch = during.MoveEpoch;
        list.Append();
        Assert.NotEqual(epoch, during.MoveEpoch);
        Assert.Equal(0, before.MoveEpoch);
        Assert.Equal(0, root.MoveEpoch);
        list.Complete();
        long frozen = during.MoveEpoch;
        using var heap = new HeapSegmentArena();
        Assert.Equal(0, new MessageBuilder(heap).InitRoot(1, 0).MoveEpoch);
        Assert.Equal(frozen, during.MoveEpoch);
    }
}
