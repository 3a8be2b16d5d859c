using CapMap.Native;
using System.Diagnostics;
using System.Runtime.InteropServices;
using CapMap.Mapping;
using CapMap.Platform;
using Mono.Unix.Native;
using Xunit;

namespace CapMap.Tests.Mapping;

/// <summary>
/// The SIGBUS handler in situations a .NET test host cannot survive or cannot create: they run in
/// <c>Native/handler_probe.c</c>, compiled here against the shipped library and started as a child.
/// Each test fails against the handler before the fix it names (see docs/reliability.md).
/// </summary>
// Starts many child processes: alone, so the descriptors (and flocks) a fork holds until exec do not
// collide with other tests' locks.
[Collection(ProcessWideCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class HandlerHardeningTests
{
    private const int SIGBUS = 7;

    [Fact]
    public void An_asynchronous_memory_error_BUS_MCEERR_AO_is_not_swallowed()
    {
        // With SIG_DFL before CapMap, the default action (death by SIGBUS) must happen; returning from the
        // handler would lose the signal, because nothing re-executes after an asynchronous one.
        var run = Probe.Run("mceerr-ao");
        Assert.True(run.ExitCode == 128 + SIGBUS, $"exit {run.ExitCode}: {run.Output}");
    }

    [Theory]
    // SIG_IGN saved with SA_SIGINFO is not called as a function: a kill()-sent SIGBUS is ignored.
    [InlineData("ign-siginfo", "ignored")]
    // A non-chaining handler installed after CapMap's: the next registration is refused (CAPMAP_E_REPLACED).
    [InlineData("replaced", "register -6")]
    // ENOMEM from the eager prefault (seccomp) does not fail a healthy file.
    [InlineData("populate-enomem", "grow 0 failure 0")]
    public void The_handler_survives(string scenario, string expected)
    {
        var run = Probe.Run(scenario);
        Assert.True(run.ExitCode == 0 && run.Output.Contains(expected), $"exit {run.ExitCode}: {run.Output}");
    }

    [Fact]
    public void Without_MADV_POPULATE_two_threads_on_two_unbackable_pages_end_in_a_failure_not_a_loop()
    {
        using var tmpfs = new TmpfsMount("1m");
        var run = Probe.Run("no-populate", tmpfs.Path);
        Assert.True(run.ExitCode == 0 && run.Output.Contains($"failure {NativeMethods.FAIL_UNRESOLVED}"), $"exit {run.ExitCode}: {run.Output}");
    }

    private static class Probe
    {
        private static readonly Lazy<string> Executable = new(Compile);

        public static (int ExitCode, string Output) Run(params string[] args)
        {
            var psi = new ProcessStartInfo(Executable.Value) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            // A hang is the failure some scenarios guard against; the bound is far above a normal run (milliseconds).
            if (!p.WaitForExit(60_000))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail($"handler_probe {string.Join(' ', args)} did not finish: it loops");
            }
            p.WaitForExit();
            return (p.ExitCode, output.Result + error.Result);
        }

        private static string Compile()
        {
            string source = Path.Combine(AppContext.BaseDirectory, "Mapping", "Native", "handler_probe.c");
            string library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libcapmap_native.so");
            string output = Path.Combine(Path.GetTempPath(), $"capmap-handler-probe-{Environment.ProcessId}");
            var (code, text) = Tools.Run("/usr/bin/env", "cc", "-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-o", output, source, library, "-lpthread");
            Assert.True(code == 0, $"cc handler_probe.c failed: {text}");
            return output;
        }
    }
}

/// <summary>Registry tests that need the registry to themselves (slot reuse is only predictable alone).</summary>
[Collection(ProcessWideCollection.Name)]
public sealed unsafe class RegistryHardeningTests
{
    [Fact]
    public void An_id_kept_after_unregister_never_reaches_the_registration_that_reuses_its_slot()
    {
        FaultRegistry.EnsureInstalled();
        using var dir = new TempDir();
        long page = Environment.SystemPageSize;
        IntPtr area = Syscall.mmap(IntPtr.Zero, (ulong)(2 * page), MmapProts.PROT_NONE, MmapFlags.MAP_PRIVATE | MmapFlags.MAP_ANONYMOUS, -1, 0);
        int fd = Syscall.open(dir.File("fd.bin"), OpenFlags.O_RDWR | OpenFlags.O_CREAT, FilePermissions.DEFFILEMODE);
        try
        {
            int first = NativeMethods.capmap_register(area, (ulong)page, fd, (ulong)page, 0, 0);
            Assert.True(first >= 0);
            Assert.Equal(0, NativeMethods.capmap_unregister(first));
            // The lowest free slot is taken again: the same index, a new id.
            int second = NativeMethods.capmap_register(area + (nint)page, (ulong)page, fd, (ulong)page, 0, 0);
            Assert.True(second >= 0);
            Assert.Equal(first % FaultRegistry.Capacity, second % FaultRegistry.Capacity);
            Assert.NotEqual(first, second);

            Assert.Equal(NativeMethods.E_BADSLOT, NativeMethods.capmap_unregister(first));
            Assert.Equal(NativeMethods.E_BADSLOT, NativeMethods.capmap_grow(first, (ulong)page, (ulong)page, 0));
            Assert.Equal(0UL, NativeMethods.capmap_committed(first));
            // The second registration is untouched by the stale calls.
            Assert.Equal(0, NativeMethods.capmap_grow(second, (ulong)page, (ulong)page, 0));
            Assert.Equal((ulong)page, NativeMethods.capmap_committed(second));
            Assert.Equal(0, NativeMethods.capmap_unregister(second));
        }
        finally
        {
            Syscall.close(fd);
            Syscall.munmap(area, (ulong)(2 * page));
        }
    }

    [Fact]
    public void Registering_after_the_SIGBUS_handler_was_replaced_throws_SignalHandlerReplacedException()
    {
        FaultRegistry.EnsureInstalled();
        Assert.True(FaultRegistry.HandlerIsInstalled);
        // struct sigaction as glibc lays it out (handler first); saved and restored as opaque bytes.
        var saved = new byte[256];
        var ignore = new byte[256];
        BitConverter.TryWriteBytes(ignore.AsSpan(0, 8), 1L); // SIG_IGN: what a careless library might install
        Assert.Equal(0, sigaction(SIGBUS, null, saved));
        Assert.Equal(0, sigaction(SIGBUS, ignore, null));
        try
        {
            Assert.False(FaultRegistry.HandlerIsInstalled);
            Assert.Throws<SignalHandlerReplacedException>(() => FaultRegistry.Register(new IntPtr(Environment.SystemPageSize * 16L), Environment.SystemPageSize, 0, Environment.SystemPageSize));
        }
        finally
        {
            Assert.Equal(0, sigaction(SIGBUS, saved, null));
        }
        Assert.True(FaultRegistry.HandlerIsInstalled);
    }

    private const int SIGBUS = 7;

    [DllImport("libc", SetLastError = true)]
    private static extern int sigaction(int signal, byte[]? action, byte[]? oldAction);
}
