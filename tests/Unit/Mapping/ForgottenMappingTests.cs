using System.Runtime.CompilerServices;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Mapping;

/// <summary>
/// An open message, mapped file or reader that nobody disposes is released when it is collected: the lock is
/// dropped (a second writer can open the file) and the registry slot is freed.
/// </summary>
// Forces collections and starts flock probes: alone, so neither disturbs other tests' files and locks.
[Collection(ProcessWideCollection.Name)]
public sealed class ForgottenMappingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_forgotten_message_builder_releases_the_lock_when_collected()
    {
        string path = _dir.File("forgotten.bin");
        CreateAndForget(path);
        // Still referenced nowhere, but maybe not yet collected: the lock may still be held here.
        CollectEverything();
        using var second = MappedMessageBuilder.Create(path, new MappedMessageOptions { Overwrite = true });
        second.InitRoot(0, 1);
        Assert.True(second.Complete(flush: false).Bytes > 0);
    }

    [Fact]
    public void A_forgotten_mapped_file_releases_the_lock_when_collected()
    {
        string path = _dir.File("forgotten-file.bin");
        OpenAndForget(path);
        CollectEverything();
        Assert.Equal(0, Tools.FlockProbe(path));
        using var second = MappedFile.Open(path);
        Assert.Equal(0, second.CommittedBytes % Environment.SystemPageSize);
    }

    [Fact]
    public void An_undisposed_message_still_holds_the_lock_while_it_is_referenced()
    {
        // The control: what the collection above releases is really held until then.
        string path = _dir.File("held.bin");
        var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { Overwrite = true });
        CollectEverything();
        Assert.Throws<FileLockedException>(() => MappedMessageBuilder.Create(path, new MappedMessageOptions { Overwrite = true }));
        GC.KeepAlive(builder);
        builder.Dispose();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateAndForget(string path)
    {
        var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { Overwrite = true });
        var root = builder.InitRoot(1, 0);
        root.WriteInt64(0, 42);
        builder.Checkpoint(flush: false);
        Assert.Throws<FileLockedException>(() => MappedMessageBuilder.Create(path, new MappedMessageOptions { Overwrite = true }));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void OpenAndForget(string path)
    {
        var file = MappedFile.Create(path, new MappedFileOptions { ReserveBytes = 1L << 24 });
        file.Base[0] = 1; // a fault: the file grows one chunk
        Assert.Equal(1, Tools.FlockProbe(path));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CollectEverything()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }
}
