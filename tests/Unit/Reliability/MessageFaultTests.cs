using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using CapMap.IO;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Tests.Mapping;
using CapMap.Tests.Messages;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Reliability;

/// <summary>Message builders under faults: many threads with NullReferenceExceptions around them, a file truncated by another process.</summary>
[Trait("Category", "Reliability")]
public sealed unsafe class MessageFaultTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Deref(object? o) => o!.GetHashCode();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long DerefPointer(long* p) => *p;

    private static bool ProvokeNullReference()
    {
        try { Deref(null); return false; } catch (NullReferenceException) { }
        try { DerefPointer(null); return false; } catch (NullReferenceException) { return true; }
    }

    private static void WriteRecords(MappedMessageBuilder builder, int count, int checkpointAt) =>
        MappedMessageBuilderTests.WriteRecords(builder, count, written => written == checkpointAt);

    [Fact]
    public void Eight_threads_build_25_messages_each_while_other_threads_raise_NullReferenceExceptions()
    {
        const int Threads = 8, PerThread = 25, Records = 3000;
        var errors = new ConcurrentQueue<Exception>();
        int nullRefsCaught = 0, nullRefsMissed = 0, built = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                for (int m = 0; m < PerThread; m++)
                {
                    string path = _dir.File($"t{t}-m{m}.bin");
                    // Small chunks: many SIGBUS faults served per message, racing with the SIGSEGVs next door.
                    var options = new MappedMessageOptions { ReserveBytes = 1L << 28, Growth = m % 3 == 2 ? GrowthMode.Eager : GrowthMode.Fault, ChunkBytes = 64 << 10 };
                    using (var builder = MappedMessageBuilder.Create(path, options))
                    {
                        WriteRecords(builder, Records, Records / 2);
                        if (m % 2 == 0) ProvokeNullReference(); // on the writer thread itself, mid-message
                        builder.Complete(flush: false);
                    }
                    MappedMessageBuilderTests.AssertRecords(path, Records); // every file valid, read back fully
                    File.Delete(path);
                    Interlocked.Increment(ref built);
                }
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        })).ToList();
        var provokers = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (ProvokeNullReference()) Interlocked.Increment(ref nullRefsCaught);
                else Interlocked.Increment(ref nullRefsMissed);
            }
        })).ToList();
        foreach (var t in provokers.Concat(writers)) t.Start();
        foreach (var t in writers) Assert.True(t.Join(TimeSpan.FromMinutes(3)), "a writer thread hung");
        stop.Cancel();
        foreach (var t in provokers) Assert.True(t.Join(TimeSpan.FromSeconds(30)), "a provoker thread hung");

        Assert.Empty(errors);
        Assert.Equal(Threads * PerThread, built);
        Assert.Equal(0, nullRefsMissed);
        Assert.True(nullRefsCaught > 0);
    }

    [Theory]
    [InlineData(GrowthMode.Fault)]
    [InlineData(GrowthMode.Eager)]
    public void A_file_truncated_by_another_process_mid_build_is_reported_as_truncated(GrowthMode growth)
    {
        string path = _dir.File($"truncated-{growth}.bin");
        var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 1L << 30, Growth = growth, ChunkBytes = 1 << 20 });
        MappedMessageFailedException? failure = null;
        try
        {
            var root = builder.InitRoot(0, 2);
            root.SetText(0, "batch");
            var list = builder.OpenStructList(root, 1, 1, 2);
            for (int i = 0; i < 400_000 && failure is null; i++)
            {
                try
                {
                    var record = list.Append();
                    record.WriteInt64(0, i);
                    record.SetText(0, "record " + i);
                    if (i == 20_000)
                    {
                        builder.Checkpoint(flush: false);
                        var (code, output) = Tools.Run("/usr/bin/truncate", "-s", "4096", path); // another process cuts the file
                        Assert.True(code == 0, output);
                    }
                    if (i % 1000 == 0) builder.ThrowIfFailed();
                }
                catch (MappedMessageFailedException e)
                {
                    failure = e;
                }
                catch (MappedFileFailedException)
                {
                    failure = Assert.Throws<MappedMessageFailedException>(builder.ThrowIfFailed);
                }
            }
            Assert.NotNull(failure);
            Assert.Equal(MappedFileFailure.Truncated, failure!.Reason);
            Assert.Contains("truncated by another process", failure.Message);
            Assert.True(builder.IsFailed);
        }
        finally
        {
            builder.Dispose(); // must not throw or crash; the checkpoint's data is gone with the cut
        }
        // Exactly what is left: the header page (the cut was to 4096 bytes and nothing wrote after the failure),
        // whose last checkpoint names the 20,001 records appended up to it, in bytes that are gone.
        byte[] left = File.ReadAllBytes(path);
        Assert.Equal(4096, left.Length);
        var info = MessageFileInfo.Read(path);
        Assert.Equal(MessageFileState.Checkpoint, info.State);
        Assert.Equal(20_001, info.RecordCount);
        Assert.Equal(4096, info.FileBytes);
        Assert.True(info.MessageBytes > info.FileBytes, $"the checkpoint covers {info.MessageBytes} bytes");
        Assert.True(info.IsTruncated);
        // Repair refuses, says why, and leaves the file as it was.
        var refused = Assert.Throws<MessageRepairException>(() => MessageRepair.Repair(path));
        Assert.Contains("shorter than", refused.Message);
        Assert.Equal(left, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData(GrowthMode.Fault)]
    [InlineData(GrowthMode.Eager)]
    public void A_checkpoint_taken_before_a_list_was_opened_repairs_to_a_valid_message(GrowthMode growth)
    {
        // Repair restores the root pointer and list counts; a pointer written after the checkpoint into a struct the
        // checkpoint covers (the list's own pointer in the root) must be restored too, or it dangles past the end.
        string path = _dir.File($"early-checkpoint-{growth}.bin");
        string copy = _dir.File($"early-checkpoint-{growth}-killed.bin");
        using (var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 1L << 28, Growth = growth }))
        {
            var root = builder.InitRoot(0, 2);
            root.SetText(0, "batch");
            builder.Checkpoint(flush: false);
            var list = builder.OpenStructList(root, 1, 1, 2);
            for (int i = 0; i < 5000; i++) list.Append().WriteInt64(0, i);
            // What a kill -9 leaves right now: the file as it is (cp takes no lock).
            var (code, output) = Tools.Run("/bin/cp", "--sparse=always", path, copy);
            Assert.True(code == 0, output);
        }
        var result = MessageRepair.Repair(copy);
        Assert.Equal(0, result.RecordCount);
        using var reader = MessageFile.Open(copy);
        var repaired = reader.GetRoot();
        Assert.Equal("batch", repaired.ReadText(0));
        Assert.True(repaired.IsPointerNull(1));
        Assert.Equal(0, repaired.ReadList(1).Count);
    }
}
