using CapMap.Native;

namespace CapMap.Mapping;

/// <summary>
/// Handle of one region registered with <see cref="FaultRegistry"/>. Disposing it unregisters the region:
/// the call waits until no fault handler is working inside it, after which the handler ignores the
/// range and the owner may unmap it and close the file.
/// </summary>
public sealed class RegionRegistration : IDisposable
{
    private int _disposed;

    internal RegionRegistration(int slot, IntPtr baseAddress, long length)
    {
        Slot = slot;
        BaseAddress = baseAddress;
        Length = length;
    }

    /// <summary>Native slot index.</summary>
    public int Slot { get; }

    /// <summary>Start of the registered range.</summary>
    public IntPtr BaseAddress { get; }

    /// <summary>Length of the registered range in bytes.</summary>
    public long Length { get; }

    /// <summary>True after <see cref="Dispose"/>.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Native failure code: 0 healthy, positive errno, or a negative CapMap code.</summary>
    public int FailureCode => IsDisposed ? 0 : NativeMethods.capmap_failure(Slot);

    /// <summary>SIGBUS faults handled in this region.</summary>
    public long FaultCount => IsDisposed ? 0 : (long)NativeMethods.capmap_fault_count(Slot);

    /// <summary>Size the file has been grown to.</summary>
    public long CommittedBytes => IsDisposed ? 0 : (long)NativeMethods.capmap_committed(Slot);

    /// <summary>Bytes the next growth step takes (doubling up to the chunk, capped by the free space).</summary>
    public long GrowthStepBytes => IsDisposed ? 0 : (long)NativeMethods.capmap_growth_step(Slot);

    internal int Grow(long want, long need, bool populate)
    {
        ThrowIfDisposed();
        return NativeMethods.capmap_grow(Slot, (ulong)want, (ulong)need, populate ? 1 : 0);
    }

    internal int CommitRange(long offset, long length, long need, bool populate, out long committedEnd)
    {
        ThrowIfDisposed();
        int rc = NativeMethods.capmap_commit_range(Slot, (ulong)offset, (ulong)length, (ulong)need, populate ? 1 : 0, out ulong end);
        committedEnd = (long)end;
        return rc;
    }

    internal int TryReserve(long offset, long length)
    {
        ThrowIfDisposed();
        return NativeMethods.capmap_try_reserve(Slot, (ulong)offset, (ulong)length);
    }

    internal int SetLength(long bytes)
    {
        ThrowIfDisposed();
        return NativeMethods.capmap_set_length(Slot, (ulong)bytes);
    }

    internal int Collapse(long offset, long length)
    {
        ThrowIfDisposed();
        return NativeMethods.capmap_collapse(Slot, (ulong)offset, (ulong)length);
    }

    internal int Insert(long offset, long length)
    {
        ThrowIfDisposed();
        return NativeMethods.capmap_insert(Slot, (ulong)offset, (ulong)length);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    /// <summary>Unregisters the region (idempotent).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        NativeMethods.capmap_unregister(Slot);
    }
}
