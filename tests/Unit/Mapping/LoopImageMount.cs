using Xunit;

namespace CapMap.Tests.Mapping;

/// <summary>
/// A fresh file system on an image file on a loop device (tests run as root; the mkfs tool comes from the Debian
/// package named, which .ci/run installs), unmounted on dispose. Tests of behaviour that depends on the file system
/// (collapse-range, insert-range, a full disk) make their own, so they run wherever the temp directory lives and
/// never skip.
/// </summary>
internal class LoopImageMount : IDisposable
{
    private readonly TempDir _dir = new();

    protected LoopImageMount(string size, string mkfs, string package, params string[] mkfsOptions)
    {
        string image = _dir.File("fs.img");
        Path = _dir.File("mnt");
        Directory.CreateDirectory(Path);
        var (code, output) = Tools.Run("/usr/bin/truncate", "-s", size, image);
        Assert.True(code == 0, $"truncate failed ({code}): {output}");
        (code, output) = Tools.Run(mkfs, [.. mkfsOptions, image]);
        Assert.True(code == 0, $"{mkfs} failed ({code}): {output} (Debian package {package})");
        (code, output) = Tools.Run("/bin/mount", "-o", "loop", image, Path);
        Assert.True(code == 0, $"mounting an image on a loop device failed ({code}): {output} (needs root and loop devices)");
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        var (code, _) = Tools.Run("/bin/umount", Path);
        if (code != 0)
            Tools.Run("/bin/umount", "-l", Path);
        _dir.Dispose();
    }
}
