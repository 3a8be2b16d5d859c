using System.Runtime.InteropServices;
using CapMap.Native;
using Mono.Unix.Native;

namespace CapMap.Messages;

/// <summary>
/// Decides, once per file, whether a streaming list may keep a sparse hole as large as its segment can
/// grow (the zero-copy layout): only where Complete can remove the hole without copying (collapse-range:
/// ext4, XFS) and where the file's apparent size does not matter (no RLIMIT_FSIZE). Elsewhere the arena
/// keeps the compact doubling gap, so a size limit or a full disk is met where the data really is.
/// </summary>
internal static class SparseLanes
{
    private const long Ext4Magic = 0xEF53, XfsMagic = 0x58465342;
    private const int RlimitFsize = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out RLimit limit);

    public static bool Allowed(string path) => FileSizeIsUnlimited() && CanCollapse(path);

    private static bool FileSizeIsUnlimited() => getrlimit(RlimitFsize, out var limit) == 0 && limit.Current == ulong.MaxValue;

    private static bool CanCollapse(string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is null) return false;
        int fd = Syscall.open(dir, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC);
        if (fd < 0) return false;
        try
        {
            return NativeMethods.capmap_fs_type(fd, out long magic) == 0 && (magic & 0xFFFF_FFFF) is Ext4Magic or XfsMagic;
        }
        finally
        {
            Syscall.close(fd);
        }
    }
}
