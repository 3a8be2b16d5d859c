using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit;

namespace CapMap.Tests.Mapping;

/// <summary>
/// Tests that change process-wide state (RLIMIT_FSIZE, filling the region registry) run in this
/// collection: xunit runs it alone, after the parallel collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCollection
{
    public const string Name = "CapMap process-wide state";
}

/// <summary>A fresh directory under the temp path, removed on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(string? parent = null)
    {
        Path = System.IO.Path.Combine(parent ?? System.IO.Path.GetTempPath(), "capmap-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A small tmpfs mounted on a temp directory (tests run as root), unmounted on dispose.</summary>
internal sealed class TmpfsMount : IDisposable
{
    private readonly TempDir _dir = new();

    public TmpfsMount(string size = "16m")
    {
        var (code, output) = Tools.Run("/bin/mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", _dir.Path);
        Assert.True(code == 0, $"mount tmpfs failed ({code}): {output}");
    }

    public string Path => _dir.Path;

    public string File(string name) => _dir.File(name);

    public void Dispose()
    {
        var (code, _) = Tools.Run("/bin/umount", _dir.Path);
        if (code != 0)
            Tools.Run("/bin/umount", "-l", _dir.Path);
        _dir.Dispose();
    }
}

/// <summary>
/// A fresh ext4 file system (an image file on a loop device; tests run as root, mkfs.ext4 comes from e2fsprogs,
/// which .ci/run installs), unmounted on dispose. For behaviour that tmpfs lacks, such as FALLOC_FL_COLLAPSE_RANGE,
/// so that such a test runs wherever the temp directory lives and never skips.
/// </summary>
internal sealed class Ext4Mount(string size = "64M") : LoopImageMount(size, "/sbin/mkfs.ext4", "e2fsprogs", "-q", "-F");

/// <summary>
/// The growth rule of the native handler (capmap_native.c, handle_region_fault), for tests that count faults:
/// the first step is <see cref="CapMap.Native.NativeMethods.INITIAL_STEP_PAGES"/> pages (at most the chunk), each
/// growth doubles it up to the chunk, and a fault grows [round_down(off, step), round_up(off + 1, step)). The free
/// space cap (a quarter of what is free) only bites on a nearly full file system, never on the temp directory.
/// </summary>
internal static class GrowthSteps
{
    public static long First(long chunk) => Math.Min((long)CapMap.Native.NativeMethods.INITIAL_STEP_PAGES * Environment.SystemPageSize, chunk);

    /// <summary>Growths (so faults) a single writer storing in order from offset 0 needs for <paramref name="bytes"/>.</summary>
    public static int ToFill(long bytes, long chunk)
    {
        int growths = 0;
        for (long size = 0, step = First(chunk); size < bytes; step = Math.Min(2 * step, chunk), growths++)
            size = (size / step + 1) * step;
        return growths;
    }

    /// <summary>Growths before the step reaches the chunk (the steps smaller than a chunk).</summary>
    public static int BelowChunk(long chunk)
    {
        int steps = 0;
        for (long step = First(chunk); step < chunk; step *= 2)
            steps++;
        return steps;
    }
}

internal static class Tools
{
    public static (int Code, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        if (!p.WaitForExit(30_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish");
        }
        return (p.ExitCode, output);
    }

    /// <summary>Exit code of <c>flock -n path true</c>: 0 if nobody holds a conflicting flock, 1 if locked.</summary>
    public static int FlockProbe(string path) => Run("/usr/bin/flock", "-n", "-E", "1", path, "/bin/true").Code;

    /// <summary>Deterministic content: the 8-byte word at byte offset o holds o/8 xor seed.</summary>
    public static long Word(long offset, long seed) => (offset / 8) ^ seed;

    public static unsafe void Fill(byte* baseAddr, long from, long to, long seed)
    {
        for (long o = from; o < to; o += 8)
            *(long*)(baseAddr + o) = Word(o, seed);
    }

    public static unsafe long FirstMismatch(byte* baseAddr, long from, long to, long seed)
    {
        for (long o = from; o < to; o += 8)
            if (*(long*)(baseAddr + o) != Word(o, seed))
                return o;
        return -1;
    }

    /// <summary>Checks the file's content against <see cref="Word"/> for [0, length).</summary>
    public static void AssertFileContent(string path, long length, long seed) => AssertFileContent(path, length, offset => Word(offset, seed));

    /// <summary>
    /// Checks that the file is <paramref name="length"/> bytes long and that every 8-byte word at offset o is
    /// <paramref name="expected"/>(o), with read(2) on a descriptor of its own: no mapping, and no flock, so it
    /// also works while a writer holds the file's lock.
    /// </summary>
    public static unsafe void AssertFileContent(string path, long length, Func<long, long> expected)
    {
        int fd = Mono.Unix.Native.Syscall.open(path, Mono.Unix.Native.OpenFlags.O_RDONLY | Mono.Unix.Native.OpenFlags.O_CLOEXEC);
        Assert.True(fd >= 0, $"open {path} failed");
        try
        {
            Assert.Equal(0, Mono.Unix.Native.Syscall.fstat(fd, out var st));
            Assert.Equal(length, st.st_size);
            var buf = new byte[1 << 20];
            long pos = 0;
            while (pos < length)
            {
                long n;
                fixed (byte* p = buf)
                    n = Mono.Unix.Native.Syscall.pread(fd, p, (ulong)Math.Min(buf.Length, length - pos), pos);
                Assert.True(n > 0, $"read(2) of {path} at {pos} returned {n}");
                for (int i = 0; i + 8 <= n; i += 8)
                {
                    long v = BitConverter.ToInt64(buf, i);
                    if (v != expected(pos + i))
                        Assert.Fail($"{path}: word at {pos + i} is {v}, expected {expected(pos + i)}");
                }
                pos += n;
            }
        }
        finally
        {
            Mono.Unix.Native.Syscall.close(fd);
        }
    }

    /// <summary>Size and allocated bytes (st_blocks × 512) as stat(2) reports them.</summary>
    public readonly record struct FileStat(long Size, long AllocatedBytes);

    public static FileStat Stat(string path)
    {
        Assert.Equal(0, Mono.Unix.Native.Syscall.stat(path, out var st));
        return new FileStat(st.st_size, st.st_blocks * 512);
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public ulong Cur;
        public ulong Max;
    }

    public const int RLIMIT_FSIZE = 1;

    [DllImport("libc", SetLastError = true)]
    public static extern int getrlimit(int resource, out RLimit limit);

    [DllImport("libc", SetLastError = true)]
    public static extern int setrlimit(int resource, ref RLimit limit);
}
