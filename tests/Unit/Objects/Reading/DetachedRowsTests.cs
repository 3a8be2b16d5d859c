using CapMap.Objects;
using CapMap.Objects.Reading;
using CapMap.Schema;
using CapMap.Tests.Interop;
using CapMap.Tests.Schema;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Objects.Reading;

/// <summary>
/// Rows decoded when first touched hold what rows decoded at once hold, whenever and on whatever thread they are
/// read, after the file is gone; a bad record still fails while the file is read; the read-ahead worker stops
/// when its consumer does.
/// </summary>
public class DetachedRowsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-detached-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static StructSchema AllTypes => InteropSchema.AllTypes;

    /// <summary>A stream of <paramref name="messages"/> copies of the full AllTypes vector (its structList has 3 Inner structs).</summary>
    private string WriteFile(int messages)
    {
        byte[] one = CapnpTool.JsonToBinary(InteropVectors.Json(InteropVectors.Full()), "AllTypes");
        string path = Path.Combine(_dir, "alltypes.bin");
        using var file = File.Create(path);
        for (int i = 0; i < messages; i++) file.Write(one);
        return path;
    }

    private static List<object> Read(string path, bool detached, bool readAhead = false, long skip = 0, long first = long.MaxValue, DetachedRows? lazy = null)
    {
        var target = FieldPath.Resolve(AllTypes, "structList");
        var rows = new StructRowReader();
        lazy ??= new DetachedRows(rows.ShapeOf, rows.ValuesOf);
        using var reader = ObjectMessageReader.Open(path, AllTypes, target);
        var plan = new MessagePlan<object>(AllTypes, target, rows.Read) { Batch = detached ? lazy.NewBatch : null };
        return reader.Read(_ => plan, skip, first, readAhead).ToList();
    }

    [Fact]
    public void Rows_read_after_the_file_is_deleted_hold_what_eager_rows_hold()
    {
        string path = WriteFile(messages: 700); // 2,100 records: three batches
        var eager = Read(path, detached: false).Select(r => r.ToString()).ToList();
        var lazy = Read(path, detached: true, readAhead: true);
        File.Delete(path);
        GC.Collect();

        Assert.Equal(2100, lazy.Count);
        Assert.Equal(eager, lazy.Select(r => r.ToString()));
        var first = lazy[0];
        Assert.Equal(eager[0], first.ToString());
        Assert.Equal(1u, first.GetType().GetProperty("id")!.GetValue(first));
        Assert.Equal(new object?[] { "t" }, lazy[1].GetType().GetProperty("tags")!.GetValue(lazy[1]));
        first.GetType().GetProperty("name")!.SetValue(first, "changed"); // rows stay writable, as eager ones are
        Assert.Equal("changed", first.GetType().GetProperty("name")!.GetValue(first));
    }

    /// <summary>Rows whose values are decoded one at a time where a slot decoder is given; counts what each decoder did.</summary>
    private sealed class CountingDecoders
    {
        private readonly StructRowReader _rows = new();
        public int Whole, Slots;

        public DetachedRows Rows() => new(_rows.ShapeOf, (r, s) =>
        {
            Interlocked.Increment(ref Whole);
            return _rows.ValuesOf(r, s);
        }, valueOf: (r, s, slot) =>
        {
            Interlocked.Increment(ref Slots);
            return _rows.ValuesOf(r, s)[slot];
        });
    }

    private static object? Property(object row, string name) => row.GetType().GetProperty(name)!.GetValue(row);

    [Fact]
    public void Reading_one_property_decodes_that_value_alone_and_the_row_later_decodes_whole_around_it()
    {
        string path = WriteFile(messages: 2);
        var eager = Read(path, detached: false);
        var counting = new CountingDecoders();
        var lazy = Read(path, detached: true, lazy: counting.Rows());
        Assert.Equal(0, counting.Whole + counting.Slots); // nothing is decoded until read

        // A filter on one property (Where-Object name -eq ...) decodes that value of each row, once.
        var names = lazy.Select(r => Property(r, "name")).ToList();
        Assert.Equal(eager.Select(r => Property(r, "name")), names);
        Assert.Equal(lazy.Select(r => Property(r, "name")), names);
        Assert.Equal((0, lazy.Count), (counting.Whole, counting.Slots));

        // Reading the whole row (ToString, Format-Table) decodes it once more, keeping the value read before.
        var tags = Property(lazy[0], "tags");
        Assert.Equal(eager.Select(r => r.ToString()), lazy.Select(r => r.ToString()));
        Assert.Equal(lazy.Count, counting.Whole);
        Assert.Same(names[0], Property(lazy[0], "name"));
        Assert.Same(tags, Property(lazy[0], "tags"));
    }

    [Fact]
    public void A_property_set_on_a_row_read_in_part_is_kept_when_the_row_decodes_whole()
    {
        string path = WriteFile(messages: 1);
        var row = Read(path, detached: true, lazy: new CountingDecoders().Rows())[0];
        Assert.Equal(1u, Property(row, "id"));
        row.GetType().GetProperty("name")!.SetValue(row, "changed");
        Assert.Equal("changed", Property(row, "name"));
        Assert.Equal(1u, Property(row, "id"));
        Assert.Contains("name=changed", row.ToString());
    }

    [Fact]
    public void Rows_read_by_many_threads_at_once_each_decode_once_and_alike()
    {
        string path = WriteFile(messages: 400);
        var eager = Read(path, detached: false).Select(r => r.ToString()).ToList();
        var lazy = Read(path, detached: true);
        var seen = new string?[lazy.Count];
        Parallel.For(0, lazy.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int row = i % lazy.Count;
            string text = lazy[row].ToString()!;
            Interlocked.CompareExchange(ref seen[row], text, null);
            Assert.Equal(seen[row], text);
        });
        Assert.Equal(eager, seen);

        // Single values read on many threads at once, then whole rows: each value is decoded once and alike.
        var counting = new CountingDecoders();
        var inParts = Read(path, detached: true, lazy: counting.Rows());
        var names = new object?[inParts.Count];
        Parallel.For(0, inParts.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int row = i % inParts.Count;
            var name = Property(inParts[row], "name");
            Interlocked.CompareExchange(ref names[row], name, null);
            Assert.Same(names[row], name);
        });
        Assert.Equal(inParts.Count, counting.Slots);
        Assert.Equal(eager, inParts.AsParallel().AsOrdered().WithDegreeOfParallelism(8).Select(r => r.ToString()));
    }

    [Fact]
    public void Skip_and_First_count_records_across_messages_as_before()
    {
        string path = WriteFile(messages: 5);
        var eager = Read(path, detached: false, skip: 4, first: 7).Select(r => r.ToString()).ToList();
        var lazy = Read(path, detached: true, readAhead: true, skip: 4, first: 7).Select(r => r.ToString()).ToList();
        Assert.Equal(7, lazy.Count);
        Assert.Equal(eager, lazy);
    }

    [Fact]
    public void A_record_whose_pointer_is_not_what_the_schema_says_fails_while_the_file_is_read()
    {
        // Inner.name (Text) of the only record points to a struct.
        var inner = AllTypes.GetField("structList").Type.ElementType!.StructType!;
        using var arena = new HeapSegmentArena();
        var message = new MessageBuilder(arena);
        var root = message.InitRoot(AllTypes.DataWordCount, AllTypes.PointerCount);
        var list = root.InitStructList(checked((int)AllTypes.GetField("structList").Offset), 1, inner.DataWordCount, inner.PointerCount);
        list.GetStruct(0).InitStruct(checked((int)inner.GetField("name").Offset), 1, 0);
        string path = Path.Combine(_dir, "bad.bin");
        using (var file = File.Create(path)) Framing.WriteMessage(file, arena);

        var e = Assert.Throws<CapnpFormatException>(() => Read(path, detached: true, readAhead: true));
        Assert.Contains("Expected a Text pointer", e.Message);
    }

    [Fact]
    public void Read_ahead_stops_its_worker_when_the_consumer_stops_and_passes_on_its_failure_in_order()
    {
        int produced = 0;
        IEnumerable<int> Endless()
        {
            for (int i = 0; ; i++)
            {
                Interlocked.Increment(ref produced);
                yield return i;
            }
        }
        Assert.Equal([0, 1, 2], ReadAhead.Run(Endless(), depth: 2).Take(3));
        int stoppedAt = Volatile.Read(ref produced);
        Thread.Sleep(100);
        Assert.Equal(stoppedAt, Volatile.Read(ref produced)); // disposal joined the worker: nothing runs any more
        Assert.InRange(stoppedAt, 3, 3 + 2 + 1);

        IEnumerable<int> FailingAfterTwo()
        {
            yield return 1;
            yield return 2;
            throw new CapnpFormatException("bad third batch");
        }
        var got = new List<int>();
        var e = Assert.Throws<CapnpFormatException>(() => { foreach (int x in ReadAhead.Run(FailingAfterTwo(), depth: 2)) got.Add(x); });
        Assert.Equal([1, 2], got);
        Assert.Equal("bad third batch", e.Message);
        Assert.Equal(Enumerable.Range(0, 10_000), ReadAhead.Run(Enumerable.Range(0, 10_000), depth: 2));
    }
}
