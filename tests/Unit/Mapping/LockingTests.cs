using System.Diagnostics;
using CapMap.Mapping;
using Xunit;

namespace CapMap.Tests.Mapping;

public sealed unsafe class LockingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ExistingFile_RefusedWithoutOverwrite_ReplacedWithIt()
    {
        string path = _dir.File("a.bin");
        File.WriteAllText(path, "keep me");
        var ex = Assert.Throws<MappedFileExistsException>(() => MappedFile.Create(path));
        Assert.Equal(path, ex.FilePath);
        Assert.Equal("keep me", File.ReadAllText(path));

        using (var file = MappedFile.Create(path, new MappedFileOptions { Overwrite = true }))
        {
            Assert.Equal(0, file.CommittedBytes);
            Assert.Equal(0, new FileInfo(path).Length);
            file.Base[0] = (byte)'x';
            file.SetLength(1);
        }
        Assert.Equal("x", File.ReadAllText(path));
    }

    [Fact]
    public void SecondWriterInSameProcess_Refused_FirstKeepsItsLock()
    {
        string path = _dir.File("b.bin");
        using var first = MappedFile.Create(path, new MappedFileOptions { ChunkBytes = 1 << 20 });
        Tools.Fill(first.Base, 0, 1 << 20, 1);

        Assert.Throws<FileLockedException>(() => MappedFile.Create(path, new MappedFileOptions { Overwrite = true }));
        Assert.Throws<FileLockedException>(() => MappedFile.Open(path));
        Assert.Throws<FileLockedException>(() => MappedFile.Open(path, readOnly: true));
        Assert.Throws<MappedFileExistsException>(() => MappedFile.Create(path));

        // The refused attempts closed their descriptors; the first writer's lock must survive that
        // (it would not with fcntl record locks) and the file must not have been truncated.
        Assert.Equal(1, Tools.FlockProbe(path));
        Assert.Equal(1 << 20, first.CommittedBytes);
        Tools.Fill(first.Base, 1 << 20, 2 << 20, 1);
        first.ThrowIfFailed();
        Assert.Equal(-1, Tools.FirstMismatch(first.Base, 0, 2 << 20, 1));
    }

    [Fact]
    public void LockIsVisibleToOtherProcesses_AndReleasedOnDispose()
    {
        string path = _dir.File("c.bin");
        var file = MappedFile.Create(path);
        Assert.Equal(1, Tools.FlockProbe(path));
        file.Dispose();
        Assert.Equal(0, Tools.FlockProbe(path));
    }

    [Fact]
    public void FileLockedByAnotherProcess_Refused_BeforeTruncating()
    {
        string path = _dir.File("d.bin");
        File.WriteAllText(path, "other process owns this");
        // One process that takes the lock and keeps it: bash opens fd 9, flock(1) locks that open file
        // description, then bash execs sleep, which inherits fd 9 and with it the lock.
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-c", "exec 9<>\"$1\"; /usr/bin/flock -n 9 || exit 3; echo locked; exec sleep 30", "holder", path })
            psi.ArgumentList.Add(a);
        using var holder = Process.Start(psi)!;
        try
        {
            Assert.Equal("locked", holder.StandardOutput.ReadLine());
            Assert.Throws<FileLockedException>(() => MappedFile.Create(path, new MappedFileOptions { Overwrite = true }));
            Assert.Throws<FileLockedException>(() => MappedFile.Open(path, readOnly: true));
            // (File.ReadAllText would be refused too: .NET FileStreams take flock(LOCK_SH).)
            Assert.Equal("other process owns this", Tools.Run("/bin/cat", path).Output);
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }
        using var file = MappedFile.Create(path, new MappedFileOptions { Overwrite = true });
        Assert.Equal(0, file.CommittedBytes);
    }
}
