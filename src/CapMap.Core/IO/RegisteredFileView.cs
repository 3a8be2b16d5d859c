using CapMap.Mapping;
using CapMap.Native;

namespace CapMap.IO;

/// <summary>
/// A range of a file mapped into memory for reading and registered read-only with the <see cref="FaultRegistry"/>:
/// what <see cref="ReadOnlyFileMapping"/> (shared, the readers') and <see cref="PrivateFileView"/> (copy-on-write,
/// Repair's rehearsal) have in common. A page the file cannot give (it was cut, or the storage said EIO) would raise
/// SIGBUS and end the process; registered, the native handler records the failure in the region's failure word and
/// maps a zero page instead, so the load completes. Anything read is therefore valid only if
/// <see cref="ThrowIfFailed"/> passes after it.
/// </summary>
internal abstract unsafe class RegisteredFileView : IDisposable
{
    private readonly MappingHandle _handle; // mapping, registration, descriptor: released even if never disposed
    private readonly int* _failure;
    private IntPtr _address;

    private protected RegisteredFileView(string path, IntPtr address, long length, (RegionRegistration Registration, MappingHandle Handle) mapping)
    {
        Path = path;
        _address = address;
        Length = length;
        _handle = mapping.Handle;
        _failure = NativeMethods.capmap_failure_address(mapping.Registration.Slot);
    }

    /// <summary>The file's path, as the caller named it.</summary>
    public string Path { get; }

    public byte* Pointer => (byte*)_address;

    /// <summary>The file's length when it was mapped: what may be read.</summary>
    public long Length { get; }

    /// <summary>True once disposed: the memory is unmapped.</summary>
    private protected bool IsDisposed => _address == IntPtr.Zero;

    /// <summary>True once a read touched a page the file could not give (it was cut, or could not be read).</summary>
    public bool IsDamaged => _address != IntPtr.Zero && _failure != null && Volatile.Read(ref *_failure) != 0;

    /// <summary>Throws if a read since the mapping touched a page the file could not give (the handler's flag: one load).</summary>
    /// <exception cref="FileTruncatedException">The file shrank under a read.</exception>
    /// <exception cref="MappedFileException">A page of the file could not be read (the errno says why).</exception>
    private protected void ThrowIfFailed(Exception? cause)
    {
        if (!IsDamaged) return;
        int code = Volatile.Read(ref *_failure);
        if (code is NativeMethods.FAIL_TRUNCATED or NativeMethods.FAIL_READ_PAST_EOF)
            throw new FileTruncatedException(Path, Length, cause);
        throw new MappedFileException($"Reading '{Path}' failed: {MappedFileException.Describe(code)}.", Path, code, cause);
    }

    /// <summary>
    /// Registers a fresh mapping of <paramref name="mapped"/> bytes of descriptor <paramref name="fd"/> read-only,
    /// with the file's <paramref name="length"/> now as its committed size (a fault below it is a page the file could
    /// not give; the handler never grows a read-only region). The returned handle unmaps and unregisters, and closes
    /// <paramref name="fd"/> only when <paramref name="closesDescriptor"/>. On failure the mapping is undone.
    /// </summary>
    private protected static (RegionRegistration Registration, MappingHandle Handle) Register(IntPtr address, long mapped, int fd, long length, bool closesDescriptor)
    {
        var handle = new MappingHandle(address, mapped);
        try
        {
            var registration = FaultRegistry.Register(address, mapped, fd, Environment.SystemPageSize, length, RegionFlags.ReadOnly);
            handle.Adopt(registration, closesDescriptor ? fd : -1);
            return (registration, handle);
        }
        catch
        {
            handle.Dispose(); // unmaps; the descriptor is still the caller's
            throw;
        }
    }

    public void Dispose()
    {
        if (_address == IntPtr.Zero) return;
        _address = IntPtr.Zero;
        _handle.Dispose();
    }
}
