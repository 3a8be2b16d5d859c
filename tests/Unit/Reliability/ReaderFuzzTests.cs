using System.Buffers.Binary;
using System.Diagnostics;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Schema;
using CapMap.Tests.Interop;
using CapMap.Tests.Objects;
using CapMap.Wire;
using Xunit;
using Xunit.Abstractions;

namespace CapMap.Tests.Reliability;

/// <summary>
/// Hostile files for the readers behind Import-CapnpMessage (MessageReader + DynamicValueReader) and
/// Get-CapnpMessageInfo (segment table + checkpoint record): a seeded mutation loop over valid seed messages
/// (heap-built single- and multi-segment messages, a deeply nested tree, CapMap-built files with a checkpoint
/// header and with far pointers). Only <see cref="CapnpFormatException"/> may escape; each case is bounded in
/// time and in allocated bytes. CAPMAP_FUZZ_CASES raises the case count (default 100,000); CAPMAP_FUZZ_SEED
/// changes the seed. An input that breaks a rule is saved (CAPMAP_FUZZ_FINDINGS, else the temp directory) so it
/// can become a file under Regressions/.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class ReaderFuzzTests
{
    private readonly ITestOutputHelper _output;

    public ReaderFuzzTests(ITestOutputHelper output) => _output = output;

    internal sealed record Seed(string Name, byte[] Bytes, StructSchema? Schema);

    private static int CaseCount => int.TryParse(Environment.GetEnvironmentVariable("CAPMAP_FUZZ_CASES"), out int n) && n > 0 ? n : 100_000;
    private static int BaseSeed => int.TryParse(Environment.GetEnvironmentVariable("CAPMAP_FUZZ_SEED"), out int n) ? n : 20261126;

    /// <summary>Allocation allowed per case: a fixed floor plus a bounded amount per word the reader was charged for.</summary>
    internal const long AllocationFloorBytes = 1L << 20;
    internal const long AllocationPerChargedWord = 2048;

    [Fact]
    public void Mutated_messages_only_ever_raise_the_format_exception_in_bounded_time_and_memory()
    {
        var seeds = FuzzSeeds.All();
        var random = new Random(BaseSeed);
        var findings = new List<string>();
        long maxAllocated = 0, rejected = 0;
        var maxTime = TimeSpan.Zero;
        var total = Stopwatch.StartNew();
        int cases = CaseCount;
        for (int i = 0; i < cases; i++)
        {
            var seed = seeds[random.Next(seeds.Count)];
            byte[] input = Mutator.Mutate(random, seed.Bytes, seeds[random.Next(seeds.Count)].Bytes);
            var watch = Stopwatch.StartNew();
            var outcome = HostileReads.Run(input, seed.Schema);
            watch.Stop();
            if (outcome.Rejected) rejected++;
            maxAllocated = Math.Max(maxAllocated, outcome.AllocatedBytes);
            if (watch.Elapsed > maxTime) maxTime = watch.Elapsed;
            string? problem = outcome.Problem
                ?? (outcome.AllocatedBytes > AllocationFloorBytes + AllocationPerChargedWord * outcome.ChargedWords
                    ? $"allocated {outcome.AllocatedBytes:N0} bytes for {outcome.ChargedWords:N0} charged words" : null)
                ?? (watch.Elapsed > TimeSpan.FromSeconds(2) ? $"took {watch.Elapsed}" : null);
            if (problem is not null && findings.Count < 20)
                findings.Add($"case {i} (seed {seed.Name}): {problem} -> saved as {Save(input, seed)}");
        }
        _output.WriteLine($"{cases:N0} cases in {total.Elapsed}, {rejected:N0} rejected with CapnpFormatException, " +
            $"max {maxAllocated:N0} bytes allocated and {maxTime.TotalMilliseconds:F1} ms for one case");
        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
        Assert.True(rejected > cases / 10, $"only {rejected} of {cases} mutations were rejected: the mutator is too gentle");
    }

    private static string Save(byte[] input, Seed seed)
    {
        string dir = Environment.GetEnvironmentVariable("CAPMAP_FUZZ_FINDINGS") is { Length: > 0 } d ? d : Path.Combine(Path.GetTempPath(), "capmap-fuzz-findings");
        Directory.CreateDirectory(dir);
        string name = $"{HostileReads.SchemaTag(seed.Schema)}__{Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(input))[..16]}.bin";
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, input);
        return path;
    }

    [Fact]
    public void Regression_files_replay_with_only_the_format_exception()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Reliability", "Regressions");
        var files = Directory.GetFiles(dir, "*.bin");
        Assert.NotEmpty(files);
        var fuzzTargets = CapMap.Fuzz.FuzzTargets.FromSchemaFile(Path.Combine(AppContext.BaseDirectory, "Schemas", "interop.capnp.bin"));
        foreach (string file in files)
        {
            string tag = Path.GetFileName(file).Split("__")[0];
            // What build.ps1 -Task Fuzz ran, exactly: a CodeGeneratorRequest (schema__) through the schema loader,
            // anything else through the reader and framing targets. Only the typed exception may come out.
            byte[] bytes = File.ReadAllBytes(file);
            foreach (string target in tag == "schema" ? ["schema"] : new[] { "reader", "framing" })
            {
                var escaped = Record.Exception(() => fuzzTargets.Run(target, bytes));
                Assert.True(escaped is null, $"{Path.GetFileName(file)} through the {target} fuzz target: {escaped}");
            }
            if (tag == "schema")
                continue;
            var outcome = HostileReads.Run(File.ReadAllBytes(file), HostileReads.SchemaFor(tag));
            Assert.True(outcome.Problem is null, $"{Path.GetFileName(file)}: {outcome.Problem}");
            Assert.True(outcome.AllocatedBytes <= AllocationFloorBytes + AllocationPerChargedWord * outcome.ChargedWords,
                $"{Path.GetFileName(file)}: allocated {outcome.AllocatedBytes:N0} bytes for {outcome.ChargedWords:N0} charged words");
            // The file path too: Get-CapnpMessageInfo's reader on the file itself.
            try { MessageFileInfo.Read(file); } catch (CapnpFormatException) { }
        }
    }

    [Theory]
    [InlineData(ElementSize.Void)]
    [InlineData(ElementSize.InlineComposite)]
    [InlineData(ElementSize.Pointer)]
    [InlineData(ElementSize.Byte)]
    public void A_claimed_2_pow_29_element_list_is_rejected_without_allocating_even_with_import_limits(ElementSize size)
    {
        byte[] bytes = HostileFiles.HugeRecordList(size);
        var batch = HostileReads.SchemaFor("Batch")!;
        // The limit Import-CapnpMessage uses: the file's words plus the default.
        var options = new ReaderOptions { TraversalLimitInWords = bytes.Length / 8 + WireLimits.DefaultTraversalLimitInWords };
        using var reader = MessageReader.FromFramedBytes(bytes, options);
        long before = GC.GetAllocatedBytesForCurrentThread();
        // The traversal limit's own exception for zero-size and composite elements, a bounds error for the others.
        Assert.ThrowsAny<CapnpFormatException>(() =>
        {
            var records = reader.GetRoot().ReadList(0);
            for (int i = 0; i < records.Count; i++) DynamicValueReader.ReadStruct(records.GetStruct(i), batch.GetField("records").Type.ElementType!.StructType!);
        });
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, $"allocated {GC.GetAllocatedBytesForCurrentThread() - before} bytes");
        long before2 = GC.GetAllocatedBytesForCurrentThread();
        using var reader2 = MessageReader.FromFramedBytes(bytes, options);
        Assert.ThrowsAny<CapnpFormatException>(() => DynamicValueReader.ReadStruct(reader2.GetRoot(), batch));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before2 < 64 * 1024, $"allocated {GC.GetAllocatedBytesForCurrentThread() - before2} bytes");
    }

    [Fact]
    public void Deep_nesting_ends_at_the_nesting_limit_for_the_schema_reader()
    {
        var tree = HostileReads.SchemaFor("Tree")!;
        byte[] bytes = FuzzSeeds.DeepTree(200);
        using var reader = MessageReader.FromFramedBytes(bytes, new ReaderOptions { NestingLimit = 64 });
        var ex = Assert.Throws<CapnpFormatException>(() => DynamicValueReader.ReadStruct(reader.GetRoot(), tree));
        Assert.Contains("nesting limit", ex.Message);
        using var unlimited = MessageReader.FromFramedBytes(bytes, new ReaderOptions { NestingLimit = 1000 });
        Assert.NotNull(DynamicValueReader.ReadStruct(unlimited.GetRoot(), tree));
    }

    [Fact]
    public void A_pointer_loop_ends_at_the_traversal_limit_for_the_schema_reader()
    {
        // Tree whose children list's single element points back at the list: a cycle in a valid-looking shape.
        var tree = HostileReads.SchemaFor("Tree")!;
        byte[] bytes = HostileFiles.SelfReferencingTree();
        using var reader = MessageReader.FromFramedBytes(bytes, new ReaderOptions { TraversalLimitInWords = 2_000, NestingLimit = int.MaxValue });
        var ex = Assert.Throws<CapnpTraversalLimitException>(() => DynamicValueReader.ReadStruct(reader.GetRoot(), tree));
        Assert.Contains("limit", ex.Message);
    }
}

/// <summary>Valid seed messages for the fuzzer.</summary>
internal static class FuzzSeeds
{
    private static readonly Lazy<List<ReaderFuzzTests.Seed>> s_all = new(Build);

    public static List<ReaderFuzzTests.Seed> All() => s_all.Value;

    private static HeapSegmentArena Tiny() => new(firstSegmentWords: 2, maxSegmentWords: 64, fixedSegmentSize: true);

    public static byte[] DeepTree(int depth)
    {
        var node = new Dictionary<string, object?> { ["label"] = "leaf", ["weights"] = new[] { 1f, 2f } };
        for (int i = 0; i < depth; i++)
            node = new Dictionary<string, object?> { ["label"] = "n" + i, ["children"] = new object[] { node }, ["weights"] = new[] { (float)i } };
        return ObjectTestSupport.WriteMessage(ObjectTestSupport.Tree, node, new ObjectWriterOptions());
    }

    private static List<ReaderFuzzTests.Seed> Build()
    {
        var seeds = new List<ReaderFuzzTests.Seed>();
        foreach (var (name, value) in InteropVectors.All())
        {
            seeds.Add(new($"AllTypes-{name}", ObjectTestSupport.WriteMessage(ObjectTestSupport.AllTypes, value), ObjectTestSupport.AllTypes));
            seeds.Add(new($"AllTypes-{name}-tiny", ObjectTestSupport.WriteMessage(ObjectTestSupport.AllTypes, value, arena: Tiny), ObjectTestSupport.AllTypes));
        }
        seeds.Add(new("Batch-40", ObjectTestSupport.WriteMessage(ObjectTestSupport.BatchSchema, InteropVectors.Batch(40)), ObjectTestSupport.BatchSchema));
        seeds.Add(new("Batch-12-tiny", ObjectTestSupport.WriteMessage(ObjectTestSupport.BatchSchema, InteropVectors.Batch(12), arena: Tiny), ObjectTestSupport.BatchSchema));
        seeds.Add(new("Tree-deep", DeepTree(20), ObjectTestSupport.Tree));
        seeds.Add(new("CapMap-complete", CapMapFile(complete: true), ObjectTestSupport.BatchSchema));
        seeds.Add(new("CapMap-checkpoint", CapMapFile(complete: false), ObjectTestSupport.BatchSchema));
        foreach (var seed in seeds)
        {
            // Every seed must itself be valid: otherwise the fuzzer would be testing garbage.
            using var reader = MessageReader.FromFramedBytes(seed.Bytes, ReaderOptions.Unlimited);
            DynamicValueReader.ReadStruct(reader.GetRoot(), seed.Schema!);
        }
        return seeds;
    }

    /// <summary>A Batch built by CapMap in a mapped file: a streamed list plus root fields in another segment (far pointers).</summary>
    private static byte[] CapMapFile(bool complete)
    {
        string path = Path.Combine(Path.GetTempPath(), $"capmap-fuzz-seed-{Guid.NewGuid():N}.bin");
        try
        {
            var schema = ObjectTestSupport.BatchSchema;
            var recordSchema = schema.GetField("records").Type.ElementType!.StructType!;
            // The completed seed has sparse lanes (children below the list, near pointers with negative offsets);
            // the checkpointed one keeps compact lanes, so its gap is 1 MiB rather than a hole of half the reserve.
            var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 1L << 26, CompactLanes = !complete });
            try
            {
                var root = builder.InitRoot(schema.DataWordCount, schema.PointerCount);
                var list = builder.OpenStructList(root, (int)schema.GetField("records").Offset, recordSchema.DataWordCount, recordSchema.PointerCount);
                var writer = new StructWriter(recordSchema);
                var records = (Array)InteropVectors.Batch(30)["records"]!;
                for (int i = 0; i < records.Length; i++)
                {
                    writer.Append(list, records.GetValue(i)!);
                    if (i == 9) builder.Checkpoint(flush: false);
                }
                new StructWriter(schema).Write(root, new Dictionary<string, object?> { ["label"] = "mapped", ["count"] = 30UL });
                if (complete) builder.Complete(flush: false);
            }
            finally
            {
                builder.Dispose(); // a final checkpoint when not completed
            }
            byte[] bytes = File.ReadAllBytes(path);
            if (!complete)
            {
                // The checkpoint declares the streaming gap as zero padding: keep the header page, the records and
                // the segment after the gap, but cut the middle of the gap out so a case stays cheap to copy.
                var table = Framing.ReadTable(bytes);
                if (table.SegmentCount != 2) throw new InvalidOperationException($"expected 2 segments, got {table.SegmentCount}");
                return bytes; // kept whole: about 1 MiB, read in place
            }
            return bytes;
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>Seeded mutations of a framed message.</summary>
internal static class Mutator
{
    public static byte[] Mutate(Random r, byte[] seed, byte[] other)
    {
        byte[] b = (byte[])seed.Clone();
        int rounds = 1 + r.Next(4);
        for (int k = 0; k < rounds; k++)
        {
            switch (r.Next(7))
            {
                case 0: // bit flips
                    for (int f = 1 + r.Next(4); f > 0 && b.Length > 0; f--)
                    {
                        int at = HotIndex(r, b.Length);
                        b[at] ^= (byte)(1 << r.Next(8));
                    }
                    break;
                case 1: // word splice, from this message or another seed
                {
                    byte[] from = r.Next(2) == 0 ? b : other;
                    if (from.Length < 8 || b.Length < 8) break;
                    int src = r.Next(from.Length / 8) * 8, dst = HotIndex(r, b.Length / 8) * 8;
                    Array.Copy(from, src, b, dst, 8);
                    break;
                }
                case 2: // truncation
                    b = b[..(r.Next(2) == 0 ? r.Next(b.Length + 1) : Math.Max(0, b.Length - 8 * (1 + r.Next(4))))];
                    break;
                case 3: // pointer rewrite
                {
                    if (b.Length < 16) break;
                    int dst = HotIndex(r, b.Length / 8) * 8;
                    BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(dst), RandomPointer(r));
                    break;
                }
                case 4: // segment-table edits
                {
                    if (b.Length < 8) break;
                    int entry = r.Next(Math.Min(4, b.Length / 4));
                    uint value = r.Next(6) switch
                    {
                        0 => 0,
                        1 => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(entry * 4)) + 1,
                        2 => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(entry * 4)) - 1,
                        3 => (uint)WireLimits.MaxSegmentWords,
                        4 => (uint)r.Next(600),
                        _ => (uint)r.Next(),
                    };
                    BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(entry * 4), value);
                    break;
                }
                case 5: // zero or 0xFF a run of bytes
                {
                    if (b.Length == 0) break;
                    int at = HotIndex(r, b.Length), len = Math.Min(b.Length - at, 1 + r.Next(32));
                    b.AsSpan(at, len).Fill(r.Next(2) == 0 ? (byte)0 : (byte)0xFF);
                    break;
                }
                default: // duplicate a block of words elsewhere (structure splice)
                {
                    if (b.Length < 32) break;
                    int words = b.Length / 8, len = 1 + r.Next(Math.Min(8, words - 1));
                    int src = r.Next(words - len + 1) * 8, dst = HotIndex(r, words - len + 1) * 8;
                    Buffer.BlockCopy(b, src, b, dst, len * 8);
                    break;
                }
            }
        }
        return b;
    }

    /// <summary>Mostly in the first 4 KiB plus the first words of each later area (where tables, roots and headers are).</summary>
    private static int HotIndex(Random r, int length)
    {
        if (length <= 0) return 0;
        return r.Next(3) switch
        {
            0 => r.Next(Math.Min(length, 64)),
            1 => r.Next(Math.Min(length, 8192)),
            _ => r.Next(length),
        };
    }

    private static ulong RandomPointer(Random r)
    {
        int offset = r.Next(5) switch { 0 => WireLimits.MaxSegmentWords >> 1, 1 => -(1 << 29), 2 => (1 << 29) - 1, _ => r.Next(-8, 16) };
        return r.Next(5) switch
        {
            0 => WirePointer.Struct(offset, r.Next(3) == 0 ? 0xFFFF : r.Next(4), r.Next(3) == 0 ? 0xFFFF : r.Next(4)),
            1 => WirePointer.List(offset, (ElementSize)r.Next(8), r.Next(3) == 0 ? WireLimits.MaxListElements : r.Next(64)),
            2 => WirePointer.Far(r.Next(3) == 0 ? r.Next() : r.Next(4), r.Next(3) == 0 ? (1 << 29) - 1 : r.Next(64), r.Next(2) == 0),
            3 => 3UL | ((ulong)(uint)r.Next() << 32), // capability
            _ => (ulong)r.NextInt64(),
        };
    }
}

/// <summary>What Import-CapnpMessage and Get-CapnpMessageInfo do with a file's bytes, with the allowed outcomes.</summary>
internal static class HostileReads
{
    public sealed record Outcome(string? Problem, bool Rejected, long AllocatedBytes, long ChargedWords);

    private static readonly Lazy<Dictionary<string, StructSchema>> s_schemas = new(() => new()
    {
        ["AllTypes"] = ObjectTestSupport.AllTypes,
        ["Batch"] = ObjectTestSupport.BatchSchema,
        ["Tree"] = ObjectTestSupport.Tree,
    });

    public static StructSchema? SchemaFor(string tag) => s_schemas.Value.TryGetValue(tag, out var s) ? s : null;

    public static string SchemaTag(StructSchema? schema) =>
        schema is null ? "none" : s_schemas.Value.FirstOrDefault(p => ReferenceEquals(p.Value, schema)).Key ?? "none";

    public static Outcome Run(byte[] input, StructSchema? schema)
    {
        // A traversal limit sized like Import-CapnpMessage's (the file's words plus a budget), with a smaller
        // budget so that memory per case stays small.
        var options = new ReaderOptions { TraversalLimitInWords = input.Length / 8 + (1 << 16), NestingLimit = WireLimits.DefaultNestingLimit };
        long before = GC.GetAllocatedBytesForCurrentThread();
        long charged = 0;
        bool rejected = false;
        string? problem = null;
        void Guard(Action<MessageReader> read, string what)
        {
            MessageReader? reader = null;
            try
            {
                reader = MessageReader.FromFramedBytes(input, options);
                read(reader);
            }
            catch (CapnpFormatException)
            {
                rejected = true;
            }
            catch (Exception e)
            {
                problem ??= $"{what}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}";
            }
            finally
            {
                if (reader is not null) charged += options.TraversalLimitInWords - Math.Max(0, reader.TraversalRemaining);
                reader?.Dispose();
            }
        }

        Guard(r => Walk(r.GetRoot(), 0), "generic walk");
        if (schema is not null)
            Guard(r => ToText(DynamicValueReader.ReadStruct(r.GetRoot(), schema)), "DynamicValueReader");
        // Get-CapnpMessageInfo's part: the table and the checkpoint record of the header page.
        try
        {
            var table = Framing.ReadTable(input);
            if (input.Length >= MappedFileLayout.HeaderBytes && CheckpointRecord.ReadLatest(input.AsSpan(0, MappedFileLayout.HeaderBytes)) is { } record)
                _ = MessageHeader.Validate(record, input.Length) ?? table.ToString();
        }
        catch (CapnpFormatException)
        {
            rejected = true;
        }
        catch (Exception e)
        {
            problem ??= $"table/checkpoint: {e.GetType().Name}: {e.Message}\n{e.StackTrace}";
        }
        return new Outcome(problem, rejected, GC.GetAllocatedBytesForCurrentThread() - before, charged);
    }

    /// <summary>Touches every decoded value, as PSObjectReader does when it builds the objects.</summary>
    private static void ToText(object? value)
    {
        switch (value)
        {
            case StructValue s:
                foreach (var entry in s) ToText(entry.Value);
                break;
            case IReadOnlyList<object?> list:
                foreach (var item in list) ToText(item);
                break;
        }
    }

    /// <summary>Reads every pointer of a struct as every kind of object, the way a schema-less walker would.</summary>
    private static void Walk(StructReader s, int depth)
    {
        if (depth > 100) throw new InvalidOperationException("walker recursed past the nesting limit");
        for (int i = 0; i < s.PointerCount; i++)
        {
            if (s.IsPointerNull(i)) continue;
            try { Walk(s.ReadStruct(i), depth + 1); } catch (CapnpFormatException) { }
            try
            {
                var list = s.ReadList(i);
                int n = Math.Min(list.Count, 16);
                for (int j = 0; j < n; j++)
                {
                    switch (list.ElementSize)
                    {
                        case ElementSize.InlineComposite:
                            Walk(list.GetStruct(j), depth + 1);
                            break;
                        case ElementSize.Pointer:
                            try { list.GetText(j); } catch (CapnpFormatException) { }
                            try { list.GetList(j); } catch (CapnpFormatException) { }
                            break;
                        case ElementSize.Bit:
                            list.GetBool(j);
                            break;
                        default:
                            list.GetInt64(j);
                            Walk(list.GetStruct(j), depth + 1);
                            break;
                    }
                }
            }
            catch (CapnpFormatException) { }
            try { s.ReadText(i); } catch (CapnpFormatException) { }
            s.ReadData(i);
        }
    }
}

/// <summary>Hand-made hostile files (also saved under Regressions/).</summary>
internal static class HostileFiles
{
    private static byte[] Frame(params ulong[] words)
    {
        var bytes = new byte[8 + words.Length * 8];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)words.Length);
        for (int i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 + i * 8), words[i]);
        return bytes;
    }

    /// <summary>A Batch whose records list claims 2^29 − 1 elements of the given encoding.</summary>
    public static byte[] HugeRecordList(ElementSize size)
    {
        ulong root = WirePointer.Struct(0, 1, 2);
        ulong list = size == ElementSize.InlineComposite
            ? WirePointer.List(1, ElementSize.InlineComposite, 1)
            : WirePointer.List(1, size, WireLimits.MaxListElements);
        ulong tag = WirePointer.Struct(WireLimits.MaxListElements, 0, 0);
        return Frame(root, 0, list, 0, tag, 0);
    }

    /// <summary>A Tree whose children list holds one element whose children pointer points back at the list.</summary>
    public static byte[] SelfReferencingTree()
    {
        // word 0 root -> struct at 1 (0 data, 3 ptrs): label, children, weights
        // word 2 children -> list at 4 (composite, 3 words): tag at 4, element at 5..7 (0 data, 3 ptrs)
        // element's children (word 6) -> same list: offset = 4 - (6 + 1) = -3
        ulong root = WirePointer.Struct(0, 0, 3);
        ulong children = WirePointer.List(1, ElementSize.InlineComposite, 3);
        ulong tag = WirePointer.Struct(1, 0, 3);
        ulong back = WirePointer.List(-3, ElementSize.InlineComposite, 3);
        return Frame(root, 0, children, 0, tag, 0, back, 0);
    }
}
