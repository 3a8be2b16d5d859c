using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace CapMap.PowerShell;

/// <summary>
/// Runs when PowerShell imports the module and makes the native libraries shipped under
/// <c>&lt;module dir&gt;/runtimes/&lt;rid&gt;/native/</c> loadable.
/// </summary>
/// <remarks>
/// PowerShell loads binary modules without reading a deps.json, so the runtime never learns about the
/// runtimes/ folder: a DllImport of "capmap_native" or "MonoPosixHelper" would only probe the module
/// directory itself and the pwsh installation, and fail.
/// </remarks>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    // Only libraries this module ships; anything else keeps the runtime's normal probing.
    private static readonly string[] OwnedLibraries = ["capmap_native", "MonoPosixHelper"];

    private static readonly object Gate = new();
    private static bool s_resolversRegistered;
    private static bool s_fallbackSubscribed;
    private static string? s_nativeDirectory;

    /// <inheritdoc />
    public void OnImport()
    {
        PlatformGuard.EnsureSupported();
        lock (Gate)
        {
            s_nativeDirectory ??= FindNativeDirectory();

            // A DllImport resolver can be set once per assembly for the life of the process, and the
            // assembly stays loaded after Remove-Module, so a re-import must not try again.
            if (!s_resolversRegistered)
            {
                TrySetResolver(typeof(CapMap.PowerShell.ModuleInitializer).Assembly);
                TrySetResolver(GetCoreAssembly());
                // Mono.Posix P/Invokes MonoPosixHelper from its own assembly, so a resolver on Core alone
                // would never see those calls.
                TrySetResolver(typeof(Mono.Unix.Native.Syscall).Assembly);
                s_resolversRegistered = true;
            }

            // If Core installed its own resolver first, ours was refused; this event still catches any load
            // that every resolver and the default probing missed. Unlike the resolver it can be undone on remove.
            if (!s_fallbackSubscribed)
            {
                AssemblyLoadContext.Default.ResolvingUnmanagedDll += OnResolvingUnmanagedDll;
                s_fallbackSubscribed = true;
            }
        }
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Gate)
        {
            if (s_fallbackSubscribed)
            {
                AssemblyLoadContext.Default.ResolvingUnmanagedDll -= OnResolvingUnmanagedDll;
                s_fallbackSubscribed = false;
            }
        }
        // Loaded native libraries are deliberately never freed: the native part installs a SIGBUS handler,
        // and unloading its code while the handler is still registered would crash the process on the next fault.
    }

    private static Assembly GetCoreAssembly()
    {
        // Core may not have a public type to name yet; resolve it by the name we reference it under.
        AssemblyName? coreName = Array.Find(
            typeof(ModuleInitializer).Assembly.GetReferencedAssemblies(),
            n => string.Equals(n.Name, "CapMap.Core", StringComparison.Ordinal));
        return Assembly.Load(coreName ?? new AssemblyName("CapMap.Core"));
    }

    private static void TrySetResolver(Assembly assembly)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // Someone (Core's own loader) got there first. Theirs wins; the ResolvingUnmanagedDll fallback
            // still covers names it does not resolve.
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        => TryLoadOwned(libraryName);

    private static IntPtr OnResolvingUnmanagedDll(Assembly assembly, string libraryName)
        => TryLoadOwned(libraryName);

    private static IntPtr TryLoadOwned(string libraryName)
    {
        string? directory = s_nativeDirectory;
        string? baseName = NormalizeName(libraryName);
        if (directory is null || baseName is null || Array.IndexOf(OwnedLibraries, baseName) < 0)
        {
            return IntPtr.Zero;
        }

        string candidate = Path.Combine(directory, "lib" + baseName + ".so");
        // IntPtr.Zero hands the request back to the runtime's default probing, which gives the usual
        // DllNotFoundException if nothing else finds it either.
        return File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out IntPtr handle) ? handle : IntPtr.Zero;
    }

    // DllImport names arrive as written in the attribute ("capmap_native"), but callers may also spell out
    // the file name ("libcapmap_native.so"); both must map to the same shipped file.
    internal static string? NormalizeName(string libraryName)
    {
        if (string.IsNullOrEmpty(libraryName) || libraryName.Contains('/'))
        {
            return null;
        }

        string name = libraryName;
        if (name.EndsWith(".so", StringComparison.Ordinal))
        {
            name = name[..^3];
        }
        if (name.StartsWith("lib", StringComparison.Ordinal) && Array.IndexOf(OwnedLibraries, name) < 0)
        {
            name = name[3..];
        }
        return name.Length == 0 ? null : name;
    }

    private static string? FindNativeDirectory()
    {
        string? moduleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location);
        if (string.IsNullOrEmpty(moduleDirectory))
        {
            return null;
        }

        string arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };
        string os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "osx" : "win";
        return Path.Combine(moduleDirectory, "runtimes", $"{os}-{arch}", "native");
    }
}
