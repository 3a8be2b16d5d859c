using System.Diagnostics;
using System.Globalization;
using CapMap.Bench;
using CapMap.IO;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Wire;

// CapMap.Bench: one measurement per process (so peak memory is per run), a JSON line on stdout.
//   core   <file> <records> <Fault|Eager> <fsync:0|1> [payloadBytes=8]   build the bench.capnp Batch
//   verify <file> <records> [payloadBytes=8] [spotChecks=1000]           count + recompute sampled records
// Record layout (capnp compile -ocapnp bench/bench.capnp): Record is 5 data words + 4 pointers.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: CapMap.Bench core <file> <records> <Fault|Eager> <fsync 0|1> [payloadBytes] | verify <file> <records> [payloadBytes] [spotChecks]");
    return 2;
}
try
{
    return args[0] switch
    {
        "core" => Core(args[1], long.Parse(args[2]), Enum.Parse<GrowthMode>(args[3], true), args[4] == "1", args.Length > 5 ? int.Parse(args[5]) : 8),
        "verify" => Verify(args[1], long.Parse(args[2]), args.Length > 3 ? int.Parse(args[3]) : 8, args.Length > 4 ? int.Parse(args[4]) : 1000),
        _ => throw new ArgumentException($"unknown command {args[0]}"),
    };
}
catch (Exception e)
{
    Console.Error.WriteLine(e);
    return 1;
}

static int Core(string path, long records, GrowthMode growth, bool fsync, int payloadBytes)
{
    using var sampler = new MemorySampler();
    var clock = Stopwatch.StartNew();
    var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { Growth = growth, Overwrite = true });
    var root = builder.InitRoot(0, 2);
    root.SetText(0, "bench");
    var list = builder.OpenStructList(root, 1, 5, 4);
    Span<char> text = stackalloc char[32];
    Span<byte> payload = payloadBytes <= 4096 ? stackalloc byte[payloadBytes] : new byte[payloadBytes];
    for (long i = 0; i < records; i++)
    {
        ulong h = Generator.Mix((ulong)i);
        var r = list.Append();
        r.WriteUInt64(0, (ulong)i);
        r.WriteInt64(1, Generator.Timestamp(i));
        r.WriteInt32(4, Generator.Count(h));
        r.WriteUInt16(10, Generator.Kind(i));
        r.WriteFloat64(3, Generator.Value(i));
        r.SetText(0, text[..Generator.Name(i, text)]);
        Generator.Payload(h, payload);
        r.SetData(1, payload);
        var tags = r.InitList(2, ElementSize.Pointer, 1);
        tags.SetText(0, text[..Generator.Tag(i, text)]);
        switch (Generator.Which(i))
        {
            case 1:
                r.WriteUInt16(11, 1);
                r.WriteUInt32(8, Generator.Code(h));
                break;
            case 2:
                r.WriteUInt16(11, 2);
                r.SetText(3, text[..Generator.Label(i, text)]);
                break;
        }
        if ((i & 0xFFFFF) == 0xFFFFF) builder.ThrowIfFailed();
    }
    double buildSeconds = clock.Elapsed.TotalSeconds;
    sampler.Sample();
    var summary = builder.Complete(flush: fsync);
    double wallSeconds = clock.Elapsed.TotalSeconds;
    sampler.Dispose();
    Console.WriteLine(
        $"{{\"tool\":\"capmap\",\"mode\":\"{growth}\",\"fsync\":{(fsync ? "true" : "false")},\"records\":{records},\"payload_bytes\":{payloadBytes}," +
        $"\"bytes\":{summary.Bytes},\"segments\":{summary.SegmentWords.Count},\"faults\":{summary.FaultCount},\"gaps\":\"{summary.Gaps}\",\"moved_bytes\":{summary.StreamMovedBytes},\"room_inserts\":{summary.StreamRoomInserts},\"child_room_inserts\":{summary.ChildRoomInserts},\"sparse_lanes\":{(summary.SparseLanes ? "true" : "false")}," +
        $"\"build_s\":{buildSeconds:F4},\"finish_s\":{wallSeconds - buildSeconds:F4},\"wall_s\":{wallSeconds:F4}," +
        $"\"peak_rss_mib\":{MemorySampler.PeakRssMiB:F1},\"peak_anon_rss_mib\":{sampler.PeakAnonMiB:F1}}}");
    return 0;
}

static unsafe int Verify(string path, long records, int payloadBytes, int spotChecks)
{
    var clock = Stopwatch.StartNew();
    using var reader = MessageFile.Open(path, ReaderOptions.Unlimited);
    var root = reader.GetRoot();
    var list = root.ReadList(1);
    var problems = new List<string>();
    if (root.ReadText(0) != "bench") problems.Add($"root name is '{root.ReadText(0)}'");
    if (list.Count != records) problems.Add($"{list.Count} records, expected {records}");
    var expected = new byte[payloadBytes];
    Span<char> text = stackalloc char[32];
    var indexes = new SortedSet<long> { 0, 1, 2, 3, records - 1, records - 2, records / 2 };
    var random = new Random(12345);
    for (int k = 0; k < spotChecks; k++) indexes.Add(random.NextInt64(records));
    foreach (long i in indexes)
    {
        if (i < 0 || i >= list.Count) continue;
        var r = list.GetStruct((int)i);
        ulong h = Generator.Mix((ulong)i);
        void Check(bool ok, string what) { if (!ok && problems.Count < 20) problems.Add($"record {i}: {what}"); }
        Check(r.ReadUInt64(0) == (ulong)i, "id");
        Check(r.ReadInt64(1) == Generator.Timestamp(i), "timestamp");
        Check(r.ReadInt32(4) == Generator.Count(h), "count");
        Check(r.ReadUInt16(10) == Generator.Kind(i), "kind");
        Check(r.ReadFloat64(3) == Generator.Value(i), "value");
        Check(r.ReadText(0) == new string(text[..Generator.Name(i, text)]), "name");
        Generator.Payload(h, expected);
        Check(r.ReadDataSpan(1).SequenceEqual(expected), "payload");
        var tags = r.ReadList(2);
        Check(tags.Count == 1 && tags.GetText(0) == new string(text[..Generator.Tag(i, text)]), "tags");
        int which = Generator.Which(i);
        Check(r.ReadUInt16(11) == which, "union discriminant");
        if (which == 1) Check(r.ReadUInt32(8) == Generator.Code(h), "code");
        if (which == 2) Check(r.ReadText(3) == new string(text[..Generator.Label(i, text)]), "label");
    }
    bool ok = problems.Count == 0;
    Console.WriteLine($"{{\"verify\":\"{(ok ? "ok" : "FAILED")}\",\"records\":{list.Count},\"checked\":{indexes.Count},\"bytes\":{new FileInfo(path).Length},\"segments\":{reader.SegmentCount},\"seconds\":{clock.Elapsed.TotalSeconds:F3}}}");
    foreach (var p in problems) Console.Error.WriteLine(p);
    return ok ? 0 : 4;
}
