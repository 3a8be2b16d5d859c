using System.Diagnostics;
using CapMap.IO;
using CapMap.Messages;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Mapping;

/// <summary>
/// A reader takes no lock, so anyone may cut the file under it. Touching a page past the new end raises
/// SIGBUS; these tests prove the process lives and the read ends either complete and correct, or in
/// <see cref="FileTruncatedException"/> — never in zeros passed off as data, never in a crash.
/// </summary>
// Starts many child processes: alone, so the descriptors (and flocks) a fork holds until exec do not
// collide with other tests' locks.
[Collection(ProcessWideCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class ReaderTruncationTests : IDisposable
{
    private const int Records = 2_000;
    private const int PayloadBytes = 8 * 1024; // about 16 MiB in all: a walk takes long enough to be cut
    private readonly TempDir _dir = new();
    private readonly string _original;

    public ReaderTruncationTests()
    {
        _original = _dir.File("original.bin");
        using var builder = MappedMessageBuilder.Create(_original, new MappedMessageOptions { Overwrite = true, ReserveBytes = 1L << 30 });
        var root = builder.InitRoot(0, 2);
        root.SetText(0, "batch");
        var list = builder.OpenStructList(root, 1, 1, 2);
        for (int i = 0; i < Records; i++)
        {
            var record = list.Append();
            record.WriteInt64(0, i + 1); // never zero: a record read from the zeros of a cut file cannot pass
            record.SetText(0, "record " + i);
            record.SetData(1, Payload(i));
        }
        builder.Complete(flush: false);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_file_cut_by_another_process_at_random_moments_ends_in_a_full_read_or_FileTruncated()
    {
        var outcomes = RunRounds(100, seed: 1, (path, delay) =>
        {
            // The child's start-up (fork + exec) is the random part of the moment; the delay spreads it further.
            Thread.Sleep(TimeSpan.FromMilliseconds(delay));
            using var truncate = Process.Start(new ProcessStartInfo("truncate", $"-s 4096 \"{path}\"") { UseShellExecute = false })!;
            truncate.WaitForExit();
            Assert.Equal(0, truncate.ExitCode);
        });
        Assert.True(outcomes.Truncated > 0, $"no read was cut in {outcomes}: the test did not exercise the fault");
    }

    [Fact]
    public void A_file_cut_in_process_at_random_moments_ends_in_a_full_read_or_FileTruncated()
    {
        var outcomes = RunRounds(100, seed: 2, (path, delay) =>
        {
            var wait = Stopwatch.StartNew();
            while (wait.Elapsed.TotalMilliseconds < delay) Thread.SpinWait(100);
            Assert.Equal(0, Mono.Unix.Native.Syscall.truncate(path, 4096));
        });
        Assert.True(outcomes.Truncated > 0, $"no read was cut in {outcomes}: the test did not exercise the fault");
    }

    [Fact]
    public void A_value_read_from_a_cut_page_is_reported_not_returned()
    {
        using var reader = OpenThenCut("cut.bin", out var records);

        // A number read straight from a struct reads as zero from a cut page; the check tells.
        long value = records.GetStruct(Records - 1).ReadInt64(0);
        Assert.Equal(0, value);
        Assert.Throws<FileTruncatedException>(() => reader.ThrowIfFileTruncated());
        // Following a pointer checks by itself.
        Assert.Throws<FileTruncatedException>(() => records.GetStruct(Records - 2).ReadText(0));
    }

    [Fact]
    public void A_format_error_caused_by_a_cut_is_reported_as_the_cut()
    {
        using var reader = OpenThenCut("cut-format.bin", out var records);
        // A Text of zeros has no NUL terminator: a format error, unless the zeros came from the cut.
        var e = Assert.Throws<FileTruncatedException>(() => reader.ReadConsistent(() =>
        {
            var last = records.GetStruct(Records - 1);
            return last.ReadText(0);
        }));
        Assert.Equal(_dir.File("cut-format.bin"), e.FilePath);
    }

    [Fact]
    public void MessageFileInfo_of_a_file_cut_while_mapped_is_FileTruncated_or_a_true_answer()
    {
        // Get-CapnpMessageInfo reads only the header page. A cut inside that page raises no fault (the kernel
        // zeros the page's tail), so only the file's length can tell: cut to 16 bytes (the segment table), inside page 0.
        long originalBytes = new FileInfo(_original).Length;
        for (int round = 0; round < 50; round++)
        {
            string path = _dir.File($"info-{round % 4}.bin");
            File.Copy(_original, path, overwrite: true);
            using var go = new ManualResetEventSlim();
            var cut = new Thread(() => { go.Wait(); Mono.Unix.Native.Syscall.truncate(path, 16); });
            cut.Start();
            try
            {
                go.Set();
                var info = MessageFileInfo.Read(path);
                // A true answer about the file as it was, or as it is after the cut.
                Assert.True(info.FileBytes == originalBytes && info.MessageBytes == originalBytes || info.FileBytes == 16, $"{info}");
            }
            catch (FileTruncatedException)
            {
            }
            cut.Join();
        }
    }

    /// <summary>A copy of the message, opened, its record list read, then cut to one page.</summary>
    private MessageReader OpenThenCut(string name, out ListReader records)
    {
        string path = _dir.File(name);
        File.Copy(_original, path, overwrite: true);
        var reader = MessageFile.Open(path, ReaderOptions.Unlimited);
        records = reader.GetRoot().ReadList(1);
        Assert.Equal(0, Mono.Unix.Native.Syscall.truncate(path, 4096));
        return reader;
    }

    private (int Full, int Truncated) RunRounds(int rounds, int seed, Action<string, double> cut)
    {
        var random = new Random(seed);
        double walkMs = TimeOneWalk();
        int full = 0, truncated = 0;
        for (int round = 0; round < rounds; round++)
        {
            string path = _dir.File($"round-{round % 4}.bin");
            File.Copy(_original, path, overwrite: true);
            double delay = random.NextDouble() * walkMs * 1.5;
            using var ready = new ManualResetEventSlim();
            Exception? cutFailure = null;
            var cutter = new Thread(() =>
            {
                ready.Wait();
                try { cut(path, delay); } catch (Exception e) { cutFailure = e; }
            });
            cutter.Start();
            try
            {
                using var reader = MessageFile.Open(path, ReaderOptions.Unlimited);
                ready.Set();
                WalkAndVerify(reader);
                full++;
            }
            catch (FileTruncatedException)
            {
                truncated++;
            }
            finally
            {
                ready.Set();
                cutter.Join();
            }
            Assert.Null(cutFailure);
        }
        Assert.Equal(rounds, full + truncated);
        return (full, truncated);
    }

    private double TimeOneWalk()
    {
        var clock = Stopwatch.StartNew();
        using (var reader = MessageFile.Open(_original, ReaderOptions.Unlimited))
            WalkAndVerify(reader);
        return Math.Max(1, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Reads every record and asserts it is exactly what was written; any cut surfaces as the typed exception.</summary>
    private static void WalkAndVerify(MessageReader reader)
    {
        reader.ReadConsistent(() =>
        {
            var root = reader.GetRoot();
            Assert.Equal("batch", root.ReadText(0));
            var records = root.ReadList(1);
            Assert.Equal(Records, records.Count);
            for (int i = 0; i < Records; i++)
            {
                int index = i;
                var (id, text, data) = reader.ReadConsistent(() =>
                {
                    var record = records.GetStruct(index);
                    return (record.ReadInt64(0), record.ReadText(0), record.ReadData(1));
                });
                Assert.Equal(i + 1, id);
                Assert.Equal("record " + i, text);
                Assert.True(Payload(i).AsSpan().SequenceEqual(data), $"payload {i} differs");
            }
        });
    }

    private static byte[] Payload(int i)
    {
        var bytes = new byte[PayloadBytes];
        new Random(i).NextBytes(bytes);
        return bytes;
    }
}
