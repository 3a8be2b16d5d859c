using CapMap.Native;

namespace CapMap.Messages;

/// <summary>
/// Decides, once per file, whether a streaming list may keep its room as a sparse hole that the file system
/// widens without copying (the zero-copy layout), and how large that hole is: only where the file system shifts
/// blocks (collapse-range at Complete, insert-range while building: ext4, XFS) and where no RLIMIT_FSIZE makes the
/// apparent size matter. Elsewhere the arena keeps the compact doubling gap, so a size limit or a full disk is
/// met where the data really is.
/// </summary>
internal static class SparseLanes
{
    /// <summary>
    /// Room below a sparse list for its elements' children (near pointers, no landing pads). When its free part falls
    /// below a fifth of it, insert-range adds four fifths at the list segment's start (the room grows downwards, the
    /// list moves up with its children), so its free part never exceeds this; only an element whose own children
    /// exceed the free part sends them to the main lane behind far pointers. Together with
    /// <see cref="ElementRoomStepBytes"/> it bounds the holes an open message's file shows beyond its data
    /// (docs/design.md, "Sparse lanes").
    /// </summary>
    public const long ChildRoomBytes = 40L << 20;

    /// <summary>
    /// Room above a sparse list for its elements, first when the list opens and then each time the list fills it
    /// (an insert-range before the lanes after it). Fixed steps: an insert costs the same whatever it shifts, and
    /// the unused part of the last step is slack the file shows.
    /// </summary>
    public const long ElementRoomStepBytes = 20L << 20;

    public static bool Allowed(string path) => FileSystemFacts.FileSizeIsUnlimited() && CanCollapse(path);

    private static bool CanCollapse(string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        return dir is not null && FileSystemFacts.TryGetType(dir, out long magic)
            && (magic & 0xFFFF_FFFF) is FileSystemFacts.Ext4Magic or FileSystemFacts.XfsMagic;
    }
}
