using Mono.Unix.Native;

namespace CapMap.Native;

/// <summary>
/// What the kernel says about where a file lives and how large it may grow: the file system's type (statfs f_type)
/// and the process's file-size limit. The only place outside the fault handler that asks, so the layers above
/// (the sparse-lane choice in Messages, the platform report) share one way of asking.
/// </summary>
internal static class FileSystemFacts
{
    /// <summary>statfs f_type of ext2/ext3/ext4.</summary>
    public const long Ext4Magic = 0xEF53;

    /// <summary>statfs f_type of XFS.</summary>
    public const long XfsMagic = 0x58465342;

    private const int RlimitFsize = 1;

    /// <summary>
    /// The statfs f_type of the file system holding <paramref name="directory"/>, as the kernel returns it (compare
    /// its low 32 bits: f_type is sign-extended on some architectures); false if the directory cannot be opened or queried.
    /// </summary>
    /// <exception cref="DllNotFoundException">The native library is missing (the platform probe reports it).</exception>
    public static bool TryGetType(string directory, out long magic)
    {
        magic = 0;
        int fd = Syscall.open(directory, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC);
        if (fd < 0) return false;
        try
        {
            return NativeMethods.capmap_fs_type(fd, out magic) == 0;
        }
        finally
        {
            Syscall.close(fd);
        }
    }

    /// <summary>
    /// The block size (statvfs f_bsize) of the file system holding <paramref name="directory"/>: the unit collapse-range
    /// removes. 0 when it cannot be queried.
    /// </summary>
    public static long BlockSize(string directory) => Syscall.statvfs(directory, out Statvfs sv) == 0 ? (long)sv.f_bsize : 0;

    /// <summary>True when this process may write files of any size (RLIMIT_FSIZE is unlimited), so a file's apparent size does not matter.</summary>
    public static bool FileSizeIsUnlimited() =>
        NativeMethods.getrlimit(RlimitFsize, out var limit) == 0 && limit.Current == ulong.MaxValue;
}
