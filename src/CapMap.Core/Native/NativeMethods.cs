using System.Runtime.InteropServices;

namespace CapMap.Native;

/// <summary>
/// P/Invoke declarations for <c>Native/capmap_native.c</c> and the few libc calls Mono.Posix lacks.
/// Constants mirror the C file; keep them in sync.
/// </summary>
internal static unsafe class NativeMethods
{
    // --- API return codes (negative) -------------------------------------------------------
    internal const int E_FULL = -1;
    internal const int E_INVAL = -2;
    internal const int E_NOT_INSTALLED = -3;
    internal const int E_OVERLAP = -4;
    internal const int E_BADSLOT = -5;
    internal const int E_REPLACED = -6;

    // --- slot failure codes (negative ones; positive = errno) -------------------------------
    internal const int FAIL_TRUNCATED = -100;
    internal const int FAIL_UNRESOLVED = -101;
    internal const int FAIL_READ_PAST_EOF = -102;

    // --- region flags ----------------------------------------------------------------------
    internal const int REGION_READONLY = 0x1;
    internal const int REGION_POPULATE = 0x2;

    // --- install info bits -----------------------------------------------------------------
    internal const int INFO_INSTALLED = 1;
    internal const int INFO_CHAINS = 2;
    internal const int INFO_PREV_DEFAULT = 4;
    internal const int INFO_SIGXFSZ_CAUGHT = 8;
    internal const int INFO_ONSTACK = 16;

    // --- growth steps (capmap_native.c: CAPMAP_INITIAL_STEP_PAGES) ---------------------------
    /// <summary>Pages of a region's first growth step; every growth doubles the step up to the chunk.</summary>
    internal const int INITIAL_STEP_PAGES = 16;

    internal const int FALLOC_FL_KEEP_SIZE = 0x01;
    internal const int FALLOC_FL_COLLAPSE_RANGE = 0x08;

    private const string Lib = NativeLibraryLoader.LibraryName;

    [DllImport(Lib)] internal static extern int capmap_install();
    [DllImport(Lib)] internal static extern int capmap_install_info();
    [DllImport(Lib)] internal static extern int capmap_capacity();
    [DllImport(Lib)] internal static extern int capmap_active_count();
    [DllImport(Lib)] internal static extern int capmap_register(IntPtr baseAddress, ulong length, int fd, ulong chunk, ulong committed, int flags);
    [DllImport(Lib)] internal static extern int capmap_unregister(int slot);
    [DllImport(Lib)] internal static extern int capmap_grow(int slot, ulong want, ulong need, int populate);
    [DllImport(Lib)] internal static extern int capmap_commit_range(int slot, ulong offset, ulong length, ulong need, int populate, out ulong committedEnd);
    [DllImport(Lib)] internal static extern int capmap_try_reserve(int slot, ulong offset, ulong length);
    [DllImport(Lib)] internal static extern int capmap_set_length(int slot, ulong bytes);
    [DllImport(Lib)] internal static extern int capmap_collapse(int slot, ulong offset, ulong length);
    [DllImport(Lib)] internal static extern int capmap_insert(int slot, ulong offset, ulong length);
    [DllImport(Lib)] internal static extern int capmap_failure(int slot);
    [DllImport(Lib)] internal static extern ulong capmap_fault_count(int slot);
    [DllImport(Lib)] internal static extern ulong capmap_committed(int slot);
    [DllImport(Lib)] internal static extern ulong capmap_growth_step(int slot);
    [DllImport(Lib)] internal static extern int* capmap_failure_address(int slot);
    [DllImport(Lib)] internal static extern int capmap_handler_is_installed();
    [DllImport(Lib)] internal static extern int capmap_fallocate(int fd, int mode, ulong offset, ulong length);
    [DllImport(Lib)] internal static extern int capmap_collapse_range(int fd, ulong offset, ulong length);
    [DllImport(Lib)] internal static extern int capmap_populate_write(IntPtr address, ulong length);
    [DllImport(Lib)] internal static extern int capmap_fs_type(int fd, out long type);

    // Mono.Posix.NETStandard 1.0.0 has no flock(2). We lock with flock rather than fcntl F_SETLK
    // because POSIX record locks are per process (a second open in the same process would not
    // conflict) and are dropped when ANY descriptor of the file is closed by the process.
    internal const int LOCK_SH = 1;
    internal const int LOCK_EX = 2;
    internal const int LOCK_NB = 4;
    internal const int LOCK_UN = 8;

    [DllImport("libc", SetLastError = true)] internal static extern int flock(int fd, int operation);

    [DllImport("libc", SetLastError = true, EntryPoint = "open")]
    private static extern int libc_open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mode);

    /// <summary>
    /// open(2), returning the descriptor or -1 with the errno in <paramref name="errno"/>. Mono.Posix's open can lose
    /// its errno (the first one in a process reads as 0, "unknown error"), and the errno is what an error message must
    /// keep; the flag and mode values still come from Mono.Posix, which knows the platform's numbering.
    /// </summary>
    internal static int Open(string path, Mono.Unix.Native.OpenFlags flags, Mono.Unix.Native.FilePermissions mode, out int errno)
    {
        int fd = libc_open(path, Mono.Unix.Native.NativeConvert.FromOpenFlags(flags), Mono.Unix.Native.NativeConvert.FromFilePermissions(mode));
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    // Mono.Posix.NETStandard 1.0.0 has no getrlimit(2) either; FileSystemFacts reads RLIMIT_FSIZE with it.
    [StructLayout(LayoutKind.Sequential)]
    internal struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", SetLastError = true)] internal static extern int getrlimit(int resource, out RLimit limit);
}
