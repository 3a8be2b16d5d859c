using System.Text;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Schema;
using CapMap.Tests.Schema;
using CapMap.Wire;
using Xunit;
using static CapMap.Tests.Objects.ObjectTestSupport;

namespace CapMap.Tests.Objects;

/// <summary>
/// What Import-CapnpMessage -MessageIndex, -Schema and a file that is no message rest on in Core: the reader's message
/// selection, the check of a given root against the carried ones, and the framing's "not a message" text.
/// </summary>
public sealed class MessageSelectionTests : IDisposable
{
    private static StructSchema Report => ObjectsSet.GetStruct("Report");
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-select-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static FieldPath Records => FieldPath.Resolve(Report, "records")!;

    /// <summary>A stream of three messages of 4, 4 and 2 records (ids 0..9): Rec is 16 bytes, 4 per message.</summary>
    private string WriteStream()
    {
        string path = Path.Combine(_dir, "stream.bin");
        var options = new MappedMessageOptions { ReserveBytes = 1L << 30, MaxListBytesPerMessage = 4 * 16, Schema = CarriedSchema.ForExplicit(ObjectsSet, Report) };
        using var writer = ObjectMessageWriter.Create(path, options, Report, H(), new ObjectWriterOptions());
        for (uint i = 0; i < 10; i++) writer.Write(Records, H(("id", i), ("name", $"r{i}")), strict: false);
        Assert.Equal(3, writer.Complete(flush: false).Messages);
        return path;
    }

    private static uint[] Ids(ObjectMessageReader reader, long skip = 0, long first = long.MaxValue) =>
        reader.Read(skip, first).Select(r => (uint)r["id"]!).ToArray();

    [Fact]
    public void Selected_messages_are_read_in_file_order_each_once_and_skip_and_first_count_over_them()
    {
        string path = WriteStream();
        using (var reader = ObjectMessageReader.Open(path, Report, Records))
        {
            reader.SelectMessages([2, 0, 2]);
            Assert.Equal([0, 2], reader.Messages.Select(m => m.Index));
            Assert.Equal([0u, 1, 2, 3, 8, 9], Ids(reader));
            Assert.Equal([3u, 8], Ids(reader, skip: 3, first: 2));
        }
        using (var reader = ObjectMessageReader.Open(path, Report, Records))
        {
            reader.SelectMessages([1]);
            Assert.Equal([4u, 5, 6, 7], Ids(reader));
            Assert.Throws<InvalidOperationException>(() => reader.SelectMessages([0]));
        }
    }

    [Fact]
    public void An_index_the_file_does_not_have_is_MessageNotFound_naming_it_and_the_reader_keeps_every_message()
    {
        string path = WriteStream();
        using var reader = ObjectMessageReader.Open(path, Report, Records);
        var e = Assert.Throws<MessageNotFoundException>(() => reader.SelectMessages([1, 3, -1]));
        Assert.Equal([-1, 3], e.Indexes);
        Assert.Equal(3, e.MessageCount);
        Assert.Contains("holds 3 message(s), numbered 0 to 2", e.Message);
        Assert.Equal(3, reader.MessageCount);
        Assert.Equal(10, Ids(reader).Length);
    }

    [Fact]
    public void A_given_root_of_another_schema_and_layout_is_a_mismatch_and_the_carried_root_or_another_of_its_structs_is_not()
    {
        string path = WriteStream();
        using var file = OpenMessageFile.Open(path);
        var messages = file.Messages;
        CarriedRootCheck.ThrowIfMismatch(file, messages, Report); // the root it was written with
        CarriedRootCheck.ThrowIfMismatch(file, messages, ObjectsSet.GetStruct("Detail")); // another struct of the carried schema, picked to read the root as
        var unrelated = InteropSchema.Set.GetStruct("Batch"); // 1 data word, 2 pointers (Report: 1 and 4), of another schema
        var e = Assert.Throws<SchemaMismatchException>(() => CarriedRootCheck.ThrowIfMismatch(file, messages, unrelated));
        Assert.Equal(0, e.MessageIndex);
        Assert.Contains($"@0x{Report.Id:x16}", e.Message);
        Assert.Contains($"@0x{unrelated.Id:x16}", e.Message);
    }

    [Fact]
    public void A_given_root_of_another_id_but_the_carried_layout_fits_as_the_struct_declared_again_elsewhere()
    {
        var rec = ObjectsSet.GetStruct("Rec");
        string path = Path.Combine(_dir, "rec.bin");
        var options = new MappedMessageOptions { ReserveBytes = 1L << 24, Schema = CarriedSchema.ForExplicit(ObjectsSet, rec) };
        using (var writer = ObjectMessageWriter.Create(path, options, rec, H(("id", 7u), ("name", "seven")), new ObjectWriterOptions()))
            writer.Complete(flush: false);
        using var file = OpenMessageFile.Open(path);
        var messages = file.Messages;
        var sameLayout = InteropSchema.Set.Structs.First(s => !s.IsGroup && s.DataWordCount == rec.DataWordCount && s.PointerCount == rec.PointerCount);
        Assert.NotEqual(rec.Id, sameLayout.Id);
        CarriedRootCheck.ThrowIfMismatch(file, messages, sameLayout);
        Assert.Throws<SchemaMismatchException>(() => CarriedRootCheck.ThrowIfMismatch(file, messages, InteropSchema.Set.GetStruct("Batch")));
    }

    [Theory]
    [InlineData("hello world\n", "68 65 6C 6C 6F 20 77 6F (\"hello wo\")", "claims 1819043177 segments")]
    [InlineData("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", "00 00 00 00 00 00 00 00", "empty first segment")]
    public void A_file_that_starts_no_message_is_not_a_Capn_Proto_message_showing_its_first_bytes(string content, string shown, string detail)
    {
        string path = Path.Combine(_dir, "notes.txt");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes(content));
        var e = Assert.Throws<CapnpFormatException>(() => MessageFileInfo.ReadAll(path));
        Assert.StartsWith($"'{path}' is not a Cap'n Proto message (its first bytes are {shown}).", e.Message);
        Assert.Contains(detail, e.Message);
    }
}
