using System.Collections;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Objects.Codecs;
using CapMap.Schema.Inference;
using CapMap.Tests.Mapping;
using Xunit;

namespace CapMap.Tests.Objects.Codecs;

/// <summary>
/// The budget of values one record may have (<see cref="InferenceOptions.MaxValuesPerRecord"/>): a record past it is
/// refused by the sample walk and by the writer of an inferred schema, with the -Depth that fits, and leaves the
/// schema as it was; the records around it are written. Endless object graphs (a hashtable that holds itself) cost
/// the budget, not the process; 100 levels of nested hashtables are written and read back on a thread with
/// PowerShell's pipeline stack.
/// </summary>
public sealed class RecordBudgetTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A hashtable whose values fan out: <paramref name="breadth"/> entries per level, <paramref name="levels"/> levels of hashtables below it.</summary>
    private static Hashtable Fan(int levels, int breadth)
    {
        var h = new Hashtable();
        for (int i = 0; i < breadth; i++) h[$"k{i}"] = levels == 0 ? i : Fan(levels - 1, breadth);
        return h;
    }

    /// <summary>A hashtable that holds itself, as <c>$h = @{}; $h.self = $h</c> makes it.</summary>
    private static Hashtable HoldsItself()
    {
        var h = new Hashtable { ["id"] = 1 };
        h["self"] = h;
        return h;
    }

    private static InferenceOptions Budget(int maxValues, int depth, int sampleSize = 1000) =>
        new() { MaxValuesPerRecord = maxValues, Depth = depth, SampleSize = sampleSize };

    [Fact]
    public void The_sample_walk_refuses_a_record_past_the_budget_and_names_the_depth_that_fits()
    {
        // Values per level: doc (level 1), then 4, 16, 64 hashtables and 256 numbers; -Depth d counts levels 1 .. d+1.
        var record = new Hashtable { ["doc"] = Fan(3, 4) };
        var inferrer = new SchemaInferrer(Budget(maxValues: 100, depth: 10));
        var e = Assert.Throws<RecordTooLargeException>(() => inferrer.Add(record));
        Assert.Equal(100, e.MaxValues);
        Assert.Equal(10, e.Depth);
        Assert.Equal(3, e.DepthThatFits); // 1 + 4 + 16 + 64 = 85 fit; with 256 more they do not
        Assert.Contains("-Depth 3 keeps it within that", e.Message);
        Assert.Equal(0, inferrer.Count);

        // At the depth that fits, it is taken; one deeper, it is not.
        Assert.True(new SchemaInferrer(Budget(maxValues: 100, depth: 3)).Add(record));
        Assert.Throws<RecordTooLargeException>(() => new SchemaInferrer(Budget(maxValues: 100, depth: 4)).Add(record));
    }

    [Fact]
    public void A_refused_record_leaves_no_field_in_the_schema()
    {
        var inferrer = new SchemaInferrer(Budget(maxValues: 20, depth: 5));
        inferrer.Add(new Hashtable { ["id"] = 1 });
        Assert.Throws<RecordTooLargeException>(() => inferrer.Add(new Hashtable { ["id"] = 2, ["big"] = Enumerable.Range(0, 50).ToArray() }));
        var alone = new SchemaInferrer(Budget(maxValues: 20, depth: 5));
        alone.Add(new Hashtable { ["id"] = 1 });
        Assert.Equal(alone.Build().ToCapnpText(), inferrer.Build().ToCapnpText());
    }

    [Fact]
    public void A_record_whose_own_properties_pass_the_budget_fits_no_depth()
    {
        var e = Assert.Throws<RecordTooLargeException>(() =>
            new SchemaInferrer(Budget(maxValues: 10, depth: 0)).Add(new Hashtable { ["list"] = Enumerable.Range(0, 11).ToList() }));
        Assert.Null(e.DepthThatFits);
        Assert.Contains("its own properties alone", e.Message);
    }

    [Fact]
    public void A_hashtable_that_holds_itself_costs_one_value_per_level_up_to_the_depth()
    {
        // Two values per level (id, self): -Depth 100 walks 101 levels, 202 values, and ends there as text.
        Assert.True(new SchemaInferrer(Budget(maxValues: 202, depth: 100)).Add(HoldsItself()));
        var e = Assert.Throws<RecordTooLargeException>(() => new SchemaInferrer(Budget(maxValues: 201, depth: 100)).Add(HoldsItself()));
        Assert.Equal(99, e.DepthThatFits);
    }

    [Fact]
    public void Past_the_budget_the_records_around_a_refused_one_are_written_in_the_sample_and_after_it()
    {
        string path = _dir.File("budget.bin");
        var inference = Budget(maxValues: 30, depth: 5, sampleSize: 3);
        var model = ObjectModel.Default with { MaxValuesPerRecord = 30 };
        var session = new RecordWriterSession(new PendingMessage(path, inference, RecordWriterSessionTests.Options, null, model, strict: false));
        var feed = RecordWriterSessionTests.RecordsFeed(session);
        var small = (int id) => new Hashtable { ["id"] = id, ["doc"] = Fan(1, 2) };
        var large = (int id) => new Hashtable { ["id"] = id, ["doc"] = Fan(3, 4) };

        var rejected = new List<RecordRejection>();
        // Held in the sample: 0, 1 (too large), 2; then written one by one: 3, 4 (too large), 5.
        foreach (var record in new[] { small(0), large(1), small(2), small(3), large(4), small(5) })
            rejected.AddRange(feed.Write(record));
        rejected.AddRange(feed.End());
        session.Complete(flush: false);

        Assert.Equal([1L, 4L], rejected.Select(r => r.Index));
        Assert.All(rejected, r => Assert.Equal(2, Assert.IsType<RecordTooLargeException>(r.Error).DepthThatFits));
        Assert.Equal(4, feed.Written);
        var rows = RecordWriterSessionTests.ReadRows(path);
        Assert.Equal([0, 2, 3, 5], rows.Select(r => Convert.ToInt32(RecordWriterSessionTests.Property(r, "id"))));
    }

    [Fact]
    public void A_hundred_levels_of_nested_hashtables_are_written_and_read_back_on_a_pipeline_sized_stack()
    {
        // Each level a number and the next level: a map whose values are of two kinds (an entry and a union struct
        // per level, two struct levels per -Depth level).
        object doc = new Hashtable { ["leaf"] = "end" };
        for (int level = 99; level >= 1; level--) doc = new Hashtable { ["level"] = level, ["next"] = doc };
        string path = _dir.File("nested.bin");
        Exception? failed = null;
        object? leaf = null;
        // PowerShell runs a pipeline on a thread of 1.5 MiB of stack (10 MiB for the main thread here): the walks
        // must fit there at -Depth 100.
        var thread = new Thread(() =>
        {
            try
            {
                var session = new RecordWriterSession(new PendingMessage(path, new InferenceOptions { Depth = 100 }, RecordWriterSessionTests.Options, null, ObjectModel.Default, strict: false));
                var feed = RecordWriterSessionTests.RecordsFeed(session);
                Assert.Empty(feed.Write(new Hashtable { ["id"] = 1, ["doc"] = doc }));
                Assert.Empty(feed.End());
                session.Complete(flush: false);
                object? node = RecordWriterSessionTests.Property(Assert.Single(RecordWriterSessionTests.ReadRows(path)), "doc");
                for (int level = 1; level < 100; level++)
                {
                    var map = Assert.IsAssignableFrom<IDictionary>(node);
                    Assert.Equal(level, Convert.ToInt32(map["level"]));
                    node = map["next"];
                }
                leaf = Assert.IsAssignableFrom<IDictionary>(node)["leaf"];
            }
            catch (Exception e)
            {
                failed = e;
            }
        }, maxStackSize: 1536 * 1024);
        thread.Start();
        thread.Join();
        if (failed is not null) throw new Xunit.Sdk.XunitException($"Failed at -Depth 100: {failed}");
        Assert.Equal("end", leaf);
    }
}
