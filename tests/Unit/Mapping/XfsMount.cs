namespace CapMap.Tests.Mapping;

/// <summary>
/// A fresh XFS file system on a loop image (mkfs.xfs from xfsprogs, which .ci/run installs). 320 MiB: mkfs.xfs
/// refuses smaller file systems; the image is sparse, so it costs the blocks written only.
/// </summary>
internal sealed class XfsMount() : LoopImageMount("320M", "/sbin/mkfs.xfs", "xfsprogs", "-q", "-f");
