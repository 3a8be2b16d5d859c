using System.Collections;
using System.Collections.Specialized;
using CapMap.Objects.Codecs;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Schema.Inference;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Objects.Codecs;

/// <summary>
/// The record writer (<see cref="InferredRecordCodec.Write"/>, straight into the struct) against the reference
/// path it replaced: <see cref="DictionaryRecordCodec.Encode"/>'s dictionaries written by <see cref="DynamicValueWriter"/>.
/// Both must give the same message bytes.
/// </summary>
public class InferredRecordWriterTests
{
    [Fact]
    public void TheTypeTableObjectWritesTheSameBytesAsTheReferencePath()
    {
        var every = new OrderedDictionary();
        foreach (var r in TypeTableTests.Rows) every[r.Name] = r.Value;
        var nulls = new OrderedDictionary();
        foreach (var r in TypeTableTests.Rows) nulls[r.Name] = null;
        var records = new object?[] { every, nulls, new OrderedDictionary { ["unseen"] = 1 }, null, 42 };
        AssertSameBytes(SchemaInferrer.Infer(records), records);
    }

    [Fact]
    public void RandomShapesWriteTheSameBytesAsTheReferencePath()
    {
        for (int seed = 0; seed < 60; seed++)
        {
            var random = new Random(seed);
            var records = Enumerable.Range(0, random.Next(1, 25)).Select(_ => (object?)RandomRecord(random, 0)).ToList();
            // Records after the sample bring unseen properties, new nesting and values of other types.
            var schema = SchemaInferrer.Infer(records.Take(Math.Max(1, records.Count / 2)).ToList(), new InferenceOptions { Depth = random.Next(0, 3) });
            AssertSameBytes(schema, records, $"seed {seed}");
        }
    }

    [Fact]
    public void MapsWriteTheSameBytesAsTheReferencePath()
    {
        var records = new object?[]
        {
            new OrderedDictionary { ["tags"] = new OrderedDictionary { ["x"] = 1, ["y"] = null }, ["lists"] = new Hashtable { ["l"] = new[] { 1, 2 } } },
            new OrderedDictionary { ["tags"] = new Hashtable { ["z"] = 3L }, ["lists"] = null },
            new OrderedDictionary { ["tags"] = new { Major = 7 } },
        };
        AssertSameBytes(SchemaInferrer.Infer(records.Take(2).ToList()), records);
    }

    [Fact]
    public void AValueThatDoesNotFitThrowsBeforeAnythingIsWritten()
    {
        var schema = SchemaInferrer.Infer([new OrderedDictionary { ["name"] = "a", ["n"] = 1 }]);
        var bad = new OrderedDictionary { ["name"] = "a text that would take words", ["n"] = "not a number" };
        var codec = new InferredRecordCodec(schema);
        var failed = TryWrite(schema, [bad], codec.Write);
        var untouched = TryWrite(schema, [bad], (_, _) => { });
        Assert.Contains("n", failed.Failures);
        Assert.Equal(untouched.Message, failed.Message);
    }

    private static void AssertSameBytes(InferredSchema schema, IReadOnlyList<object?> records, string where = "")
    {
        var codec = new InferredRecordCodec(schema);
        var written = TryWrite(schema, records, codec.Write);
        var dictionaries = new DictionaryRecordCodec(schema);
        var recordSchema = (StructSchema)dictionaries.SchemaSet.GetById(dictionaries.Record.Id);
        var reference = TryWrite(schema, records, (target, r) => DynamicValueWriter.WriteStruct(target, recordSchema, dictionaries.Encode(r)));
        Assert.True(reference.Message.SequenceEqual(written.Message), $"{where}: the writer's {written.Message.Length} bytes differ from the reference's {reference.Message.Length}");
        Assert.Equal(reference.Failures, written.Failures);
    }

    // A record that does not fit is left as it is (zeros) in both paths, as a failed Add leaves nothing.
    private static (byte[] Message, string Failures) TryWrite(
        InferredSchema schema, IReadOnlyList<object?> records, Action<StructBuilder, object?> write)
    {
        using var arena = new HeapSegmentArena();
        var message = new MessageBuilder(arena);
        var root = schema.Root;
        var builder = message.InitRoot(root.DataWordCount, root.PointerCount);
        var list = builder.InitStructList((int)root.Fields[0].Offset, records.Count, schema.Record!.DataWordCount, schema.Record.PointerCount);
        var failures = new List<string>();
        for (int i = 0; i < records.Count; i++)
        {
            try { write(list.GetStruct(i), records[i]); }
            catch (InferredValueException e) { failures.Add($"{i}: {e.Message}"); }
        }
        return (message.ToFramedBytes(), string.Join("\n", failures));
    }

    private static readonly string[] Names = ["a", "b", "c", "Id", "id", "n", "when", "tags", "inner", "x y", "aIsNull"];

    private static OrderedDictionary RandomRecord(Random random, int level)
    {
        var o = new OrderedDictionary();
        foreach (var name in Names.OrderBy(_ => random.Next()).Take(random.Next(0, Names.Length)))
            o[name] = RandomValue(random, level);
        return o;
    }

    private static object? RandomValue(Random random, int level) => random.Next(14) switch
    {
        0 => null,
        1 => random.Next(2) == 0,
        2 => random.Next(-1000, 1000),
        3 => (long)random.Next() << 20,
        4 => random.NextDouble() * 1e6,
        5 => $"t{random.Next(100)}",
        6 => new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next()),
        7 => new byte[] { (byte)random.Next(256), 7 },
        8 => (byte)random.Next(256),
        9 => DayOfWeek.Friday - random.Next(3),
        10 => Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(100)).ToArray(),
        11 => level < 2 ? Enumerable.Range(0, random.Next(0, 3)).Select(_ => (object?)RandomRecord(random, level + 1)).ToArray() : "deep",
        12 => level < 2 ? RandomRecord(random, level + 1) : 7,
        _ => new Hashtable { ["k"] = random.Next(5) },
    };
}
