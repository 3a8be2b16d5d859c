using System.Reflection;
using System.Runtime.InteropServices;

namespace CapMap.Platform;

/// <summary>
/// Resolves the native fault-handler library (<c>capmap_native</c>) for the CapMap.Core assembly from
/// <c>&lt;assembly dir&gt;/runtimes/&lt;rid&gt;/native/libcapmap_native.so</c>. That layout is the same in the
/// build output, in test output and in the PowerShell module folder, so one rule serves all three.
/// </summary>
public static class NativeLibraryLoader
{
    /// <summary>The name used in <c>[DllImport]</c> declarations.</summary>
    public const string LibraryName = "capmap_native";

    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>Runtime identifier of the native folder for this process (e.g. <c>linux-x64</c>).</summary>
    public static string RuntimeIdentifier => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "linux-x64",
        Architecture.Arm64 => "linux-arm64",
        var other => "linux-" + other.ToString().ToLowerInvariant(),
    };

    /// <summary>Full path where the native library is expected.</summary>
    public static string NativeLibraryPath
    {
        get
        {
            string? dir = System.IO.Path.GetDirectoryName(typeof(NativeLibraryLoader).Assembly.Location);
            if (string.IsNullOrEmpty(dir))
                dir = AppContext.BaseDirectory; // single-file publish: no assembly location
            return System.IO.Path.Combine(dir, "runtimes", RuntimeIdentifier, "native", "libcapmap_native.so");
        }
    }

    /// <summary>
    /// Installs the <see cref="NativeLibrary.SetDllImportResolver"/> hook for the CapMap.Core assembly.
    /// Idempotent and thread-safe. Called by every entry point that reaches native code.
    /// </summary>
    public static void EnsureRegistered()
    {
        if (Volatile.Read(ref _registered))
            return;
        lock (Gate)
        {
            if (_registered)
                return;
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // A resolver is already set for this assembly (only one is allowed). Assume its owner
                // handles capmap_native too; if not, the P/Invoke fails with DllNotFoundException.
            }
            Volatile.Write(ref _registered, true);
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName)
            return IntPtr.Zero; // default probing for everything else (libc, MonoPosixHelper, ...)
        string path = NativeLibraryPath;
        if (File.Exists(path))
            return NativeLibrary.Load(path);
        // Not laid out next to the assembly: fall back to the default search (LD_LIBRARY_PATH, ...).
        return NativeLibrary.TryLoad(libraryName, assembly, searchPath, out IntPtr handle) ? handle : IntPtr.Zero;
    }
}
