using CapMap.Native;

namespace CapMap.Mapping;

/// <summary>
/// The process-wide SIGBUS handler and its registry of growing mappings (both live in the native
/// library). Thread-safe; registrations have no thread affinity.
/// </summary>
/// <remarks>
/// Installing has two process-wide effects: SIGBUS gets CapMap's handler, which chains every fault it
/// does not own to the previous handler (the .NET runtime's), and SIGXFSZ is caught by a handler that does
/// nothing if it was at its default, so that growing past RLIMIT_FSIZE fails with EFBIG instead of killing the
/// process. Caught rather than ignored: exec resets a caught signal to its default but keeps an ignored one
/// ignored, so programs started from this process still stop at their file-size limit.
/// </remarks>
public static class FaultRegistry
{
    private static readonly object Gate = new();
    private static volatile bool _installed;

    /// <summary>Installs the SIGBUS handler once (after the runtime's own handlers). Idempotent.</summary>
    /// <exception cref="MappedFileException">The handler could not be installed.</exception>
    public static void EnsureInstalled()
    {
        if (_installed)
            return;
        lock (Gate)
        {
            if (_installed)
                return;
            if (!OperatingSystem.IsLinux())
                throw new PlatformNotSupportedException("CapMap growing mappings need Linux (SIGBUS on access past EOF of a shared file mapping).");
            NativeLibraryLoader.EnsureRegistered();
            int rc = NativeMethods.capmap_install();
            if (rc != 0)
                throw new MappedFileException($"Could not install the SIGBUS handler: {MappedFileException.Describe(rc)}", errno: rc);
            _installed = true;
        }
    }

    /// <summary>True once <see cref="EnsureInstalled"/> succeeded.</summary>
    public static bool IsInstalled => _installed;

    /// <summary>Fixed number of regions that can be registered at once (1024).</summary>
    public static int Capacity
    {
        get { EnsureInstalled(); return NativeMethods.capmap_capacity(); }
    }

    /// <summary>Number of regions registered right now.</summary>
    public static int ActiveCount
    {
        get { EnsureInstalled(); return NativeMethods.capmap_active_count(); }
    }

    /// <summary>True if the handler chains unknown faults to a previously installed handler (the runtime's).</summary>
    public static bool ChainsToPreviousHandler
    {
        get { EnsureInstalled(); return (NativeMethods.capmap_install_info() & NativeMethods.INFO_CHAINS) != 0; }
    }

    /// <summary>True while CapMap's handler is the installed SIGBUS disposition (no library replaced it since).</summary>
    public static bool HandlerIsInstalled
    {
        get { EnsureInstalled(); return NativeMethods.capmap_handler_is_installed() != 0; }
    }

    /// <summary>True if installing switched SIGXFSZ from its default action to CapMap's no-op handler.</summary>
    public static bool CaughtSigxfsz
    {
        get { EnsureInstalled(); return (NativeMethods.capmap_install_info() & NativeMethods.INFO_SIGXFSZ_CAUGHT) != 0; }
    }

    /// <summary>
    /// Registers <paramref name="length"/> bytes of mapping at <paramref name="baseAddress"/>, backed by
    /// <paramref name="fd"/>, so that faults in it grow the file by <paramref name="chunkBytes"/>.
    /// The caller keeps the mapping and the descriptor alive until the registration is disposed.
    /// </summary>
    /// <param name="baseAddress">Page-aligned start of the mapping.</param>
    /// <param name="length">Reserved bytes (page multiple).</param>
    /// <param name="fd">Open descriptor of the backing file.</param>
    /// <param name="chunkBytes">Growth step (page multiple).</param>
    /// <param name="committedBytes">Current size of the file.</param>
    /// <param name="flags">Region options.</param>
    /// <exception cref="RegistryFullException">All <see cref="Capacity"/> slots are taken.</exception>
    /// <exception cref="ArgumentException">Bad or overlapping range.</exception>
    /// <exception cref="SignalHandlerReplacedException">Another library replaced CapMap's SIGBUS handler.</exception>
    public static RegionRegistration Register(IntPtr baseAddress, long length, int fd, long chunkBytes, long committedBytes = 0, RegionFlags flags = RegionFlags.None)
    {
        EnsureInstalled();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(committedBytes);
        int rc = NativeMethods.capmap_register(baseAddress, (ulong)length, fd, (ulong)chunkBytes, (ulong)committedBytes, (int)flags);
        return rc switch
        {
            >= 0 => new RegionRegistration(rc, baseAddress, length),
            NativeMethods.E_FULL => throw new RegistryFullException(NativeMethods.capmap_capacity()),
            NativeMethods.E_REPLACED => throw new SignalHandlerReplacedException(),
            NativeMethods.E_OVERLAP => throw new ArgumentException("The range overlaps a region that is already registered.", nameof(baseAddress)),
            NativeMethods.E_INVAL => throw new ArgumentException("Invalid region: base, length and chunk must be non-zero page multiples and fd valid."),
            _ => throw new MappedFileException($"Registering the region failed (code {rc})."),
        };
    }

    /// <summary>Unregisters; same as disposing the registration. Waits for handlers inside the region.</summary>
    public static void Unregister(RegionRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        registration.Dispose();
    }
}
