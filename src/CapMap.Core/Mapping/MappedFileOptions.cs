namespace CapMap.Mapping;

/// <summary>Options for <see cref="MappedFile.Create"/> and <see cref="MappedFile.Open"/>.</summary>
public sealed record MappedFileOptions
{
    /// <summary>Default address space reserved per file: 64 GiB (costs no memory, MAP_NORESERVE).</summary>
    public const long DefaultReserveBytes = 64L << 30;

    /// <summary>Default growth step (see the measurements in the repository's mapping notes).</summary>
    public const long DefaultChunkBytes = 64L << 20;

    /// <summary>Bytes of address space mapped over the file; the file can never grow beyond this.</summary>
    public long ReserveBytes { get; init; } = DefaultReserveBytes;

    /// <summary>How the file grows.</summary>
    public GrowthMode Growth { get; init; } = GrowthMode.Fault;

    /// <summary>
    /// Largest growth step in bytes (rounded up to the page size). Steps start at 16 pages and double with every
    /// growth up to this; no step asks for more than a quarter of the file system's free space, so a nearly full
    /// disk is filled in ever smaller steps instead of failing one large one.
    /// </summary>
    public long ChunkBytes { get; init; } = DefaultChunkBytes;

    /// <summary>
    /// Prefault newly grown ranges writable with MADV_POPULATE_WRITE (one system call instead of one page
    /// fault per page). Applies to both growth modes. Only ranges whose blocks fallocate reserved are
    /// prefaulted: on a file system without fallocate (ext2) each prefaulted page would take a block.
    /// </summary>
    public bool Populate { get; init; } = true;

    /// <summary><see cref="MappedFile.Create"/> replaces an existing file instead of refusing it.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Permissions of a newly created file (before umask).</summary>
    public Mono.Unix.Native.FilePermissions CreateMode { get; init; } =
        Mono.Unix.Native.FilePermissions.DEFFILEMODE; // 0666 & ~umask, like any new file
}
