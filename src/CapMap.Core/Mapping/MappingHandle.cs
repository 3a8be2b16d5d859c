using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace CapMap.Mapping;

/// <summary>
/// Owns one mapped range, its registration with the <see cref="FaultRegistry"/> and (once adopted) the file
/// descriptor that holds the file's flock. A SafeHandle, so that a mapping nobody disposed is still released
/// when it is collected: the critical finalizer unregisters, unmaps and closes, which drops the lock, and a
/// second writer can open the file (it holds its last checkpoint, as after a kill).
/// </summary>
/// <remarks>
/// Release order is the one <see cref="MappedFile.Dispose"/> always had: unregister first (it waits for a
/// fault handler working in the range), then unmap, then close (a handler must never fstat or fallocate a
/// closed or reused descriptor).
/// </remarks>
internal sealed class MappingHandle : SafeHandle
{
    private readonly long _length;
    private int _fd = -1;
    private RegionRegistration? _registration;

    /// <summary>Takes ownership of the mapping at <paramref name="address"/> (not yet of a descriptor).</summary>
    public MappingHandle(IntPtr address, long length)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _length = length;
        SetHandle(address);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>
    /// Takes ownership of the registration and the descriptor, once both exist: until then a failure is
    /// cleaned up by the caller, which still owns the descriptor (so it is closed exactly once). A negative
    /// <paramref name="fd"/> adopts none: the mapping borrows a descriptor its owner closes after releasing it.
    /// </summary>
    public void Adopt(RegionRegistration registration, int fd)
    {
        _registration = registration;
        _fd = fd;
    }

    protected override bool ReleaseHandle()
    {
        _registration?.Dispose();
        Syscall.munmap(handle, (ulong)_length);
        if (_fd >= 0) Syscall.close(_fd);
        return true;
    }
}
