using System.Reflection;
using System.Runtime.InteropServices;

namespace CapMap.Native;

/// <summary>
/// The one owner of native library resolution for CapMap: resolves the libraries CapMap ships
/// (<c>capmap_native</c>, the fault handler, and <c>MonoPosixHelper</c>, Mono.Posix's native half) from
/// <c>&lt;assembly dir&gt;/runtimes/&lt;rid&gt;/native/lib&lt;name&gt;.so</c>. That layout is the same in the build
/// output, in test output and in the PowerShell module folder, so one rule serves all three.
/// </summary>
/// <remarks>
/// A host that reads no deps.json (PowerShell loading a binary module) would otherwise probe only the
/// assembly's own directory and fail. A DllImport resolver can be set once per assembly for the life of
/// the process, so this class sets it for CapMap.Core and for Mono.Posix (which P/Invokes MonoPosixHelper
/// from its own assembly) and nobody else does. Loaded libraries are never freed: the native part installs
/// a SIGBUS handler, and unloading its code while the handler is registered would crash the process.
/// </remarks>
public static class NativeLibraryLoader
{
    /// <summary>The name used in <c>[DllImport]</c> declarations.</summary>
    public const string LibraryName = "capmap_native";

    // Only libraries CapMap ships; anything else keeps the runtime's normal probing.
    private static readonly string[] OwnedLibraries = [LibraryName, "MonoPosixHelper"];

    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>Runtime identifier of the native folder for this process (e.g. <c>linux-x64</c>).</summary>
    public static string RuntimeIdentifier
    {
        get
        {
            string arch = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => "x64",
                Architecture.Arm64 => "arm64",
                var other => other.ToString().ToLowerInvariant(),
            };
            string os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "osx" : "win";
            return $"{os}-{arch}";
        }
    }

    /// <summary>The folder the shipped native libraries are expected in.</summary>
    public static string NativeDirectory
    {
        get
        {
            string? dir = System.IO.Path.GetDirectoryName(typeof(NativeLibraryLoader).Assembly.Location);
            if (string.IsNullOrEmpty(dir))
                dir = AppContext.BaseDirectory; // single-file publish: no assembly location
            return System.IO.Path.Combine(dir, "runtimes", RuntimeIdentifier, "native");
        }
    }

    /// <summary>Full path where the fault handler library is expected.</summary>
    public static string NativeLibraryPath => System.IO.Path.Combine(NativeDirectory, "lib" + LibraryName + ".so");

    /// <summary>
    /// Installs the resolvers for CapMap.Core and Mono.Posix. Idempotent and thread-safe. Called by every
    /// entry point that reaches native code, and by the PowerShell module when it is imported.
    /// </summary>
    public static void EnsureRegistered()
    {
        if (Volatile.Read(ref _registered))
            return;
        lock (Gate)
        {
            if (_registered)
                return;
            SetResolver(typeof(NativeLibraryLoader).Assembly);
            SetResolver(typeof(Mono.Unix.Native.Syscall).Assembly);
            Volatile.Write(ref _registered, true);
        }
    }

    private static void SetResolver(Assembly assembly)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // Only this class sets resolvers for these assemblies, and only once; a host that set its own
            // first keeps it (the P/Invoke then fails with DllNotFoundException if that resolver misses).
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string? baseName = NormalizeName(libraryName);
        if (baseName is null || Array.IndexOf(OwnedLibraries, baseName) < 0)
            return IntPtr.Zero; // default probing for everything else (libc, ...)
        string path = System.IO.Path.Combine(NativeDirectory, "lib" + baseName + ".so");
        if (File.Exists(path) && NativeLibrary.TryLoad(path, out IntPtr shipped))
            return shipped;
        // Not laid out next to the assembly: fall back to the default search (deps.json, LD_LIBRARY_PATH, ...).
        return NativeLibrary.TryLoad(libraryName, assembly, searchPath, out IntPtr handle) ? handle : IntPtr.Zero;
    }

    /// <summary>
    /// DllImport names arrive as written in the attribute ("capmap_native"), but callers may also spell out
    /// the file name ("libcapmap_native.so"); both map to the same shipped file. Null for paths.
    /// </summary>
    internal static string? NormalizeName(string libraryName)
    {
        if (string.IsNullOrEmpty(libraryName) || libraryName.Contains('/'))
            return null;
        string name = libraryName;
        if (name.EndsWith(".so", StringComparison.Ordinal))
            name = name[..^3];
        if (name.StartsWith("lib", StringComparison.Ordinal) && Array.IndexOf(OwnedLibraries, name) < 0)
            name = name[3..];
        return name.Length == 0 ? null : name;
    }
}
