using CapMap.IO;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Objects.Reading;
using CapMap.Schema;
using CapMap.Tests.Interop;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Messages;

/// <summary>
/// A message file open for reading is mapped once: its list of messages, a reader of each message and each
/// message's carried schema all come from that one mapping (issue 19: an Import of three messages mapped the file 7 times).
/// </summary>
public sealed class OpenMessageFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-openfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Lazy<EmbeddedSchema> s_records = new(() =>
    {
        byte[] request = CapnpTool.CompileRequest("records.capnp");
        return new EmbeddedSchema(request, SchemaSet.Load(request).GetStruct("Root").Id);
    });

    /// <summary>Three messages of 10, 20 and 30 records, each carrying the records schema.</summary>
    private string ThreeMessages()
    {
        string path = Path.Combine(_dir, "three.bin");
        foreach (int records in new[] { 10, 20, 30 })
        {
            using var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 1L << 30, Schema = s_records.Value, Append = true });
            MappedMessageBuilderTests.WriteRecords(builder, records, _ => false);
            builder.Complete(flush: false);
        }
        return path;
    }

    /// <summary>Counts the read-only mappings made of <paramref name="path"/> (other tests' files, on other threads, are not counted).</summary>
    private sealed class MappingCount : IDisposable
    {
        private readonly string _path;
        private int _count;

        public MappingCount(string path)
        {
            _path = Path.GetFullPath(path);
            ReadOnlyFileMapping.Opened += Count;
        }

        public int Value => Volatile.Read(ref _count);

        private void Count(string path)
        {
            if (path == _path) Interlocked.Increment(ref _count);
        }

        public void Dispose() => ReadOnlyFileMapping.Opened -= Count;
    }

    [Fact]
    public void Reading_three_messages_by_their_carried_schemas_maps_the_file_once()
    {
        string path = ThreeMessages();
        using var mappings = new MappingCount(path);
        var ids = new List<long>();
        int schemasLoaded = 0;
        using (var reader = ObjectMessageReader.Open(path))
        {
            Assert.Equal(3, reader.MessageCount);
            // As Import reads: each message by a plan made from the schema it carries, read from the reader's own file.
            var values = reader.Read(message =>
            {
                var carried = CarriedSchema.Load(reader.File.SchemaOf(message)!);
                schemasLoaded++;
                return new MessagePlan<StructValue>(carried.Root, FieldPath.Resolve(carried.Root, "records"), DynamicValueReader.ReadStruct);
            }, readAhead: true);
            foreach (var value in values) ids.Add((long)value["id"]!);
        }
        Assert.Equal(3, schemasLoaded);
        Assert.Equal(Enumerable.Range(0, 10).Concat(Enumerable.Range(0, 20)).Concat(Enumerable.Range(0, 30)).Select(i => (long)i), ids);
        Assert.Equal(1, mappings.Value);
    }

    [Fact]
    public void The_messages_their_readers_and_their_schemas_come_from_one_mapping()
    {
        string path = ThreeMessages();
        using var mappings = new MappingCount(path);
        using (var file = OpenMessageFile.Open(path))
        {
            Assert.Equal([10L, 20L, 30L], file.Messages.Select(m => m.RecordCount));
            // What the one-shot scan gives (a second mapping, counted below).
            Assert.Equal(MessageFileInfo.ReadAll(path).Select(Place), file.Messages.Select(Place));
            for (int i = 0; i < file.Messages.Count; i++)
            {
                using var message = file.ReadMessage(i, ReaderOptions.Unlimited);
                Assert.Equal((i + 1) * 10, message.ReadConsistent(() => message.GetRoot().ReadList(1).Count));
                var schema = file.SchemaOf(file.Messages[i]);
                Assert.True(s_records.Value.SameAs(schema));
                Assert.Same(schema, file.SchemaOf(i)); // read once, then kept
            }
            // A reader borrows the mapping: disposing it leaves the file readable.
            using var again = file.ReadMessage(0);
            Assert.Equal(10, again.GetRoot().ReadList(1).Count);
        }
        Assert.Equal(2, mappings.Value);
    }

    private static (long, long, long, MessageFileState) Place(MessageFileInfo m) => (m.Offset, m.MessageBytes, m.RecordCount, m.State);

    [Fact]
    public void A_reader_of_a_message_stops_once_its_file_is_closed_instead_of_reading_unmapped_memory()
    {
        string path = ThreeMessages();
        var file = OpenMessageFile.Open(path);
        var reader = file.ReadMessage(2, ReaderOptions.Unlimited);
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.ReadConsistent(() => 0));
        Assert.Throws<ObjectDisposedException>(() => file.ReadMessage(0));
        Assert.Throws<ObjectDisposedException>(() => file.SchemaOf(0));
    }

    [Fact]
    public void A_message_of_another_file_is_refused_and_so_is_a_message_the_file_does_not_hold()
    {
        string path = ThreeMessages();
        string other = Path.Combine(_dir, "other.bin");
        File.Copy(path, other);
        using var file = OpenMessageFile.Open(path);
        var foreign = MessageFileInfo.ReadAll(other)[0];
        Assert.Throws<ArgumentException>(() => file.SchemaOf(foreign));
        Assert.Equal(3, Assert.Throws<MessageNotFoundException>(() => file.ReadMessage(3)).MessageCount);
    }
}
