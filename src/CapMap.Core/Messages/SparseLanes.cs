using CapMap.Native;

namespace CapMap.Messages;

/// <summary>
/// Decides, once per file, whether a streaming list may keep a sparse hole as large as its segment can
/// grow (the zero-copy layout): only where Complete can remove the hole without copying (collapse-range:
/// ext4, XFS) and where the file's apparent size does not matter (no RLIMIT_FSIZE). Elsewhere the arena
/// keeps the compact doubling gap, so a size limit or a full disk is met where the data really is.
/// </summary>
internal static class SparseLanes
{
    public static bool Allowed(string path) => FileSystemFacts.FileSizeIsUnlimited() && CanCollapse(path);

    private static bool CanCollapse(string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        return dir is not null && FileSystemFacts.TryGetType(dir, out long magic)
            && (magic & 0xFFFF_FFFF) is FileSystemFacts.Ext4Magic or FileSystemFacts.XfsMagic;
    }
}
