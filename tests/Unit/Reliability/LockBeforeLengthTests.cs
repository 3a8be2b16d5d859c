using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Native;
using CapMap.Tests.Mapping;
using CapMap.Tests.Messages;
using Mono.Unix.Native;
using Xunit;
using Xunit.Abstractions;

namespace CapMap.Tests.Reliability;

/// <summary>
/// Repair and Append take the writer's lock before they measure the file. The other party holds the lock while it
/// turns a checkpointed file into a longer completed one and lets go within the lock's grace period, so Repair or
/// Append waits for it; measured before the lock, the length was the old one, and the refusal that followed
/// "restored" that length, cutting the completed message.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class LockBeforeLengthTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Repair_measures_the_file_under_the_lock_so_a_writer_that_completes_it_meanwhile_loses_nothing()
    {
        var (checkpointed, completed) = Fixtures();
        var result = RaceWithWriter(checkpointed, completed, path => MessageRepair.Repair(path));
        Assert.Equal(MessageFileState.Complete, result.State);
        Assert.Equal(20_000, result.RecordCount);
    }

    [Fact]
    public void Append_measures_the_file_under_the_lock_so_a_writer_that_completes_it_meanwhile_loses_nothing()
    {
        var (checkpointed, completed) = Fixtures();
        var summary = RaceWithWriter(checkpointed, completed, path =>
        {
            using var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { Append = true, ReserveBytes = 1L << 30 });
            MappedMessageBuilderTests.WriteRecords(builder, 300, _ => false);
            return builder.Complete(flush: false);
        });
        Assert.Equal(completed.Length, summary.MessageOffset);
        var messages = MessageFileInfo.ReadAll(summary.Path);
        Assert.Equal([20_000L, 300L], messages.Select(m => m.RecordCount));
    }

    /// <summary>A 1,000-record checkpoint and the 20,000-record completed message its writer goes on to make (longer).</summary>
    private (byte[] Checkpointed, byte[] Completed) Fixtures()
    {
        string small = _dir.File("checkpointed.bin");
        // Compact lanes: a checkpoint on ext4 would otherwise declare the list's sparse hole, half the reserve, as padding.
        using (var builder = MappedMessageBuilder.Create(small, new MappedMessageOptions { ReserveBytes = 1L << 30, CompactLanes = true }))
            MappedMessageBuilderTests.WriteRecords(builder, 1_000, written => written == 1_000);
        string large = _dir.File("completed.bin");
        MappedMessageBuilderTests.BuildRecords(large, 20_000, GrowthMode.Fault);
        var checkpointed = File.ReadAllBytes(small);
        var completed = File.ReadAllBytes(large);
        Assert.True(completed.Length > checkpointed.Length, $"the completed file ({completed.Length}) must be the longer");
        return (checkpointed, completed);
    }

    /// <summary>
    /// Holds the file's lock (the flock a CapMap writer holds, on a descriptor of its own) while
    /// <paramref name="work"/> starts on another thread, then writes <paramref name="completed"/> over the
    /// checkpointed file and lets go well inside the 250 ms grace period. The completed message must come out byte
    /// for byte. A run where the work gave up on the lock (a machine so loaded that the grace period passed) proves
    /// nothing either way and is run again.
    /// </summary>
    private T RaceWithWriter<T>(byte[] checkpointed, byte[] completed, Func<string, T> work)
    {
        for (int attempt = 1; attempt <= 5; attempt++)
        {
            string path = _dir.File($"race{attempt}.bin");
            File.WriteAllBytes(path, checkpointed);
            using var started = new ManualResetEventSlim();
            Task<T> task;
            int fd = Syscall.open(path, OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC);
            Assert.True(fd >= 0, $"open failed: {Stdlib.GetLastError()}");
            try
            {
                Assert.Equal(0, NativeMethods.flock(fd, NativeMethods.LOCK_EX));
                task = Task.Factory.StartNew(() =>
                {
                    started.Set();
                    return work(path);
                }, TaskCreationOptions.LongRunning);
                started.Wait();
                Thread.Sleep(60);
                File.WriteAllBytes(path, completed); // the test host's FileStreams take no flock (see the project file)
            }
            finally
            {
                Syscall.close(fd); // lets go of the lock
            }
            try
            {
                var result = task.GetAwaiter().GetResult();
                var bytes = File.ReadAllBytes(path);
                Assert.True(bytes.Length >= completed.Length, $"the file is {bytes.Length} bytes; the completed message had {completed.Length}");
                Assert.True(bytes.AsSpan(0, completed.Length).SequenceEqual(completed), "the completed message changed");
                return result;
            }
            catch (FileLockedException)
            {
                output.WriteLine($"attempt {attempt}: the lock's grace period passed before the writer let go; again");
            }
        }
        throw new Xunit.Sdk.XunitException("the writer never let go within the lock's grace period in 5 attempts");
    }
}
