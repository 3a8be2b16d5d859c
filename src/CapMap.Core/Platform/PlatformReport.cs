namespace CapMap.Platform;

/// <summary>What <see cref="PlatformProbe.Run"/> found out about a directory and this process.</summary>
/// <param name="Directory">The probed directory.</param>
/// <param name="KernelRelease">uname release, e.g. 6.8.0-45-generic.</param>
/// <param name="PageSize">Memory page size in bytes.</param>
/// <param name="FileSystemType">Name of the file system (ext2/ext3/ext4, xfs, tmpfs, btrfs, overlayfs, ...).</param>
/// <param name="FileSystemMagic">statfs f_type.</param>
/// <param name="FreeBytes">Bytes available to this user on the file system.</param>
/// <param name="GrowOnFaultWorks">The seed experiment: a zero-length file mapped, written past EOF, grown by the SIGBUS handler, the write retried and read back.</param>
/// <param name="FallocateSupported">fallocate(2) allocates space (else growth falls back to ftruncate and a full disk shows up as a failed page fault).</param>
/// <param name="CollapseRangeSupported">FALLOC_FL_COLLAPSE_RANGE works (ext4, XFS).</param>
/// <param name="PopulateWriteSupported">madvise(MADV_POPULATE_WRITE) works (Linux 5.14+).</param>
/// <param name="MaxReservableBytes">Largest PROT_NONE MAP_NORESERVE range (power of two, 1 TiB at most) that could be reserved.</param>
/// <param name="ChainsToRuntimeHandler">The SIGBUS handler chains unknown faults to a previously installed handler.</param>
/// <param name="IsSupported">Overall verdict: CapMap can build growing files in this directory.</param>
/// <param name="Problems">Why it cannot (empty when supported).</param>
/// <param name="Notes">Things that work but less well (e.g. no collapse-range on tmpfs).</param>
public sealed record PlatformReport(
    string Directory,
    string KernelRelease,
    int PageSize,
    string FileSystemType,
    long FileSystemMagic,
    long FreeBytes,
    bool GrowOnFaultWorks,
    bool FallocateSupported,
    bool CollapseRangeSupported,
    bool PopulateWriteSupported,
    long MaxReservableBytes,
    bool ChainsToRuntimeHandler,
    bool IsSupported,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Notes);
