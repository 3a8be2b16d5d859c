using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Wire;

// Usage: CapMap.TestWriter <path> <records> <checkpointEvery> <Fault|Eager> [reserveBytes] [payloadBytes]
// Writes the same Root/Record shape as the unit tests, prints "checkpoint <records>" after each
// checkpoint and "complete <bytes>" at the end; failures print "failed <reason> <errno>" and exit 3.
// With CAPMAP_TEST_KILL_AT_STEP=k it prints "step <n> <name>" at every crash point of the core (gap moves,
// finishing) and kills itself with SIGKILL at the k-th, so a test can stop it at each step in turn.
// With CAPMAP_TEST_APPEND=1 the message is appended after the messages the file already holds.
// With CAPMAP_TEST_SCHEMA_CHANGE=1 every message carries a schema of its own (bytes that name the message), and a
// full list goes on in the next message under the next one (ContinueUnderSchema, the root set again), not a copy.
// With CAPMAP_TEST_REPAIR=1 it repairs <path> instead (the other arguments are ignored), kill points included.
// With CAPMAP_TEST_RECORD_FLUSHES=<log> it logs the file at every flush and prints "flush <n>" (power-loss harness).
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: CapMap.TestWriter <path> <records> <checkpointEvery> <Fault|Eager> [reserveBytes] [payloadBytes]");
    return 2;
}
string path = args[0];
long count = long.Parse(args[1]);
long every = long.Parse(args[2]);
var growth = Enum.Parse<GrowthMode>(args[3], ignoreCase: true);
long reserve = args.Length > 4 ? long.Parse(args[4]) : MappedFileOptions.DefaultReserveBytes;
int payload = args.Length > 5 ? int.Parse(args[5]) : 0;
var blob = new byte[payload];
new Random(7).NextBytes(blob);

if (Environment.GetEnvironmentVariable("CAPMAP_TEST_KILL_AT_STEP") is { Length: > 0 } killAt)
{
    long stopAt = long.Parse(killAt), reached = 0;
    CrashPoints.Listener = step =>
    {
        reached++;
        Console.Out.WriteLine($"step {reached} {step}");
        Console.Out.Flush();
        if (reached == stopAt) System.Diagnostics.Process.GetCurrentProcess().Kill();
    };
}

// CAPMAP_TEST_RECORD_FLUSHES=<log>: record the file at every flush (the power-loss harness, FlushRecorder), and
// complete with a flush, so the last record is durable too.
string? flushLog = Environment.GetEnvironmentVariable("CAPMAP_TEST_RECORD_FLUSHES");
bool recordFlushes = !string.IsNullOrEmpty(flushLog);
if (recordFlushes)
{
    // The recorder reads the file while the writer holds its flock; .NET's own FileStream locking would refuse that.
    AppContext.SetSwitch("System.IO.DisableFileLocking", true);
    var recorder = new CapMap.TestWriter.FlushRecorder(path, flushLog!);
    FlushPoints.Listener = recorder.Record;
    CrashPoints.Listener += recorder.Step;
}

// CAPMAP_TEST_REPAIR=1: repair <path> instead of writing it (the crash points of repair count as steps, so a test can
// kill the repair at each); CAPMAP_TEST_COPY_TAIL_LIMIT applies to the holes repair closes. Prints "repaired <records> <bytes>".
if (Environment.GetEnvironmentVariable("CAPMAP_TEST_REPAIR") == "1")
{
    long tailLimit = Environment.GetEnvironmentVariable("CAPMAP_TEST_COPY_TAIL_LIMIT") is { Length: > 0 } repairLimit
        ? long.Parse(repairLimit) : MappedMessageBuilder.DefaultCopyTailLimitBytes;
    var repaired = MessageRepair.Repair(path, tailLimit);
    Console.Out.WriteLine($"repaired {repaired.RecordCount} {repaired.BytesAfter}");
    return 0;
}

MappedMessageBuilder? builder = null;
try
{
    // CAPMAP_TEST_APPEND=1: the message goes after the ones the file already holds.
    bool append = Environment.GetEnvironmentVariable("CAPMAP_TEST_APPEND") == "1";
    // CAPMAP_TEST_MAX_LIST_BYTES=n: a list holds at most n bytes of elements per message; a full one goes on
    // in the next message of the file (prints "continued <records so far>").
    long? maxListBytes = Environment.GetEnvironmentVariable("CAPMAP_TEST_MAX_LIST_BYTES") is { Length: > 0 } max ? long.Parse(max) : null;
    // CAPMAP_TEST_COMPACT_LANES=1: the gap doubles with journaled copies while streaming, on any file system.
    bool compact = Environment.GetEnvironmentVariable("CAPMAP_TEST_COMPACT_LANES") == "1";
    // CAPMAP_TEST_CHUNK_BYTES=n: the growth step (default 64 MiB).
    long chunk = Environment.GetEnvironmentVariable("CAPMAP_TEST_CHUNK_BYTES") is { Length: > 0 } c ? long.Parse(c) : MappedFileOptions.DefaultChunkBytes;
    // CAPMAP_TEST_COPY_TAIL_LIMIT=n: Complete copies a tail of at most n bytes instead of collapsing the gap.
    long copyTailLimit = Environment.GetEnvironmentVariable("CAPMAP_TEST_COPY_TAIL_LIMIT") is { Length: > 0 } limit
        ? long.Parse(limit) : MappedMessageBuilder.DefaultCopyTailLimitBytes;
    // CAPMAP_TEST_SPARSE_ROOM_BYTES=n: a sparse list's child room and element room step are n bytes each, so a
    // few thousand records reach the insert-range steps that widen the element room.
    var rooms = Environment.GetEnvironmentVariable("CAPMAP_TEST_SPARSE_ROOM_BYTES") is { Length: > 0 } room
        ? new SparseLaneRooms(long.Parse(room), long.Parse(room)) : SparseLaneRooms.Default;
    bool changeSchema = Environment.GetEnvironmentVariable("CAPMAP_TEST_SCHEMA_CHANGE") == "1";
    // The schema message k carries: 40 bytes of k + 1 (no reader here parses it; the test reads them back).
    static EmbeddedSchema SchemaOf(int message) => new(Enumerable.Repeat((byte)(message + 1), 40).ToArray(), 0x8000_0000_0000_0000UL | (uint)message);
    builder = MappedMessageBuilder.Create(path, new MappedMessageOptions
    {
        Growth = growth, ReserveBytes = reserve, ChunkBytes = chunk, Overwrite = !append, Append = append,
        MaxListBytesPerMessage = maxListBytes, CompactLanes = compact, CopyTailLimitBytes = copyTailLimit, SparseRooms = rooms,
        Schema = changeSchema ? SchemaOf(0) : null,
    });
    var root = builder.InitRoot(0, 2);
    root.SetText(0, "batch");
    var list = builder.OpenStructList(root, 1, 1, 2);
    for (long i = 0; i < count; i++)
    {
        if (list.IsFull && changeSchema)
        {
            builder = builder.ContinueUnderSchema(SchemaOf(builder.MessagesWritten), next =>
            {
                root = next.InitRoot(0, 2);
                root.SetText(0, "batch");
                list = next.OpenStructList(root, 1, 1, 2);
            }, flush: false);
            Console.Out.WriteLine($"continued {i}");
            Console.Out.Flush();
        }
        else if (list.IsFull)
        {
            var next = builder.ContinueInNextMessage(flush: false);
            builder = next.Builder;
            list = next.List!;
            Console.Out.WriteLine($"continued {i}");
            Console.Out.Flush();
        }
        var record = list.Append();
        record.WriteInt64(0, i);
        record.SetText(0, "record " + i);
        var tags = record.InitList(1, ElementSize.Pointer, payload > 0 ? 3 : 2);
        tags.SetText(0, "a");
        tags.SetText(1, "b" + i);
        if (payload > 0) tags.SetData(2, blob);
        if (every > 0 && (i + 1) % every == 0)
        {
            builder.Checkpoint();
            Console.Out.WriteLine($"checkpoint {i + 1}");
            Console.Out.Flush();
        }
    }
    // CAPMAP_TEST_WAIT_TO_BE_KILLED=1: after the last record (and its checkpoint) wait for the test's kill instead
    // of completing: the file a killed writer leaves mid-stream, holes and all.
    if (Environment.GetEnvironmentVariable("CAPMAP_TEST_WAIT_TO_BE_KILLED") == "1")
    {
        Console.Out.WriteLine("waiting");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
    }
    var summary = builder.Complete(flush: recordFlushes);
    Console.Out.WriteLine($"complete {summary.Bytes} faults {summary.FaultCount} gaps {summary.Gaps.ToString().Replace(" ", "")}");
    return 0;
}
catch (MappedMessageFailedException failure)
{
    Console.Out.WriteLine($"failed {failure.Reason} {failure.Errno}");
    Console.Error.WriteLine(failure.Message);
    return 3;
}
finally
{
    builder?.Dispose();
}
