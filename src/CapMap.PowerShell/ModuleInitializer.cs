using System.Management.Automation;
using CapMap.Native;

namespace CapMap.PowerShell;

/// <summary>
/// Runs when PowerShell imports the module and makes the native libraries shipped under
/// <c>&lt;module dir&gt;/runtimes/&lt;rid&gt;/native/</c> loadable, through Core's <see cref="NativeLibraryLoader"/>.
/// </summary>
/// <remarks>
/// PowerShell loads binary modules without reading a deps.json, so the runtime never learns about the
/// runtimes/ folder: a DllImport of "capmap_native" or "MonoPosixHelper" would only probe the module
/// directory itself and the pwsh installation, and fail. The resolver must be in place before any cmdlet
/// touches Mono.Posix, hence here, at import. Re-importing is harmless: registration happens once per process.
/// </remarks>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    /// <inheritdoc />
    public void OnImport()
    {
        // Off linux-x64 the import stops here with one clear message, before any native library is touched.
        PlatformGuard.EnsureSupported();
        NativeLibraryLoader.EnsureRegistered();
    }
}
