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

    /// <summary>Growth step in bytes (rounded up to the page size).</summary>
    public long ChunkBytes { get; init; } = DefaultChunkBytes;

    /// <summary>
    /// Prefault newly grown ranges writable with MADV_POPULATE_WRITE (one system call instead of one page
    /// fault per page). Applies to both growth modes.
    /// </summary>
    public bool Populate { get; init; } = true;

    /// <summary><see cref="MappedFile.Create"/> replaces an existing file instead of refusing it.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Permissions of a newly created file (before umask).</summary>
    public Mono.Unix.Native.FilePermissions CreateMode { get; init; } =
        Mono.Unix.Native.FilePermissions.DEFFILEMODE; // 0666 & ~umask, like any new file
}
