using System.Management.Automation;
using System.Runtime.InteropServices;

namespace CapMap.PowerShell;

/// <summary>
/// Refuses the import on a platform the module has no native libraries for, with one message that names
/// the platform and what is supported, instead of a <see cref="DllNotFoundException"/> at the first cmdlet.
/// </summary>
internal static class PlatformGuard
{
    /// <summary>The only runtime the package ships native libraries (capmap_native, MonoPosixHelper) for.</summary>
    public const string SupportedRuntimeIdentifier = "linux-x64";

    /// <summary>The oldest PowerShell the module supports (also the manifest's PowerShellVersion).</summary>
    public static readonly Version MinimumPowerShell = new(7, 4);

    /// <summary>
    /// Test-only: replaces the detected runtime identifier so a test can prove the refusal on Linux x64.
    /// Not a configuration setting; setting it to anything but linux-x64 only makes the import fail.
    /// </summary>
    public const string TestRuntimeIdentifierVariable = "CAPMAP_TEST_RUNTIME_IDENTIFIER";

    /// <summary>Throws when this process cannot run the module.</summary>
    /// <exception cref="UnsupportedPlatformException">Not linux-x64, or PowerShell older than 7.4.</exception>
    public static void EnsureSupported()
    {
        string runtime = CurrentRuntimeIdentifier();
        Version powerShell = typeof(PSObject).Assembly.GetName().Version ?? new Version(0, 0);
        string? problem = Check(runtime, powerShell);
        if (problem is not null)
        {
            throw new UnsupportedPlatformException(problem, runtime);
        }
    }

    /// <summary>The refusal message for this runtime and PowerShell version, or null when both are supported.</summary>
    internal static string? Check(string runtimeIdentifier, Version powerShell)
    {
        bool runtimeSupported = string.Equals(runtimeIdentifier, SupportedRuntimeIdentifier, StringComparison.Ordinal);
        bool powerShellSupported = powerShell >= MinimumPowerShell;
        if (runtimeSupported && powerShellSupported)
        {
            return null;
        }
        return $"CapMap does not support this platform ({runtimeIdentifier}, PowerShell {powerShell.Major}.{powerShell.Minor}): " +
            $"it runs on {SupportedRuntimeIdentifier} with PowerShell {MinimumPowerShell.Major}.{MinimumPowerShell.Minor} or later, " +
            "the only platform its native libraries are built for.";
    }

    // Built from the OS and the process architecture rather than RuntimeInformation.RuntimeIdentifier,
    // which on distribution-built .NET is distro-specific ("ubuntu.24.04-x64") although linux-x64 binaries run.
    private static string CurrentRuntimeIdentifier()
    {
        string? fake = Environment.GetEnvironmentVariable(TestRuntimeIdentifierVariable);
        if (!string.IsNullOrEmpty(fake))
        {
            return fake;
        }

        string os = OperatingSystem.IsLinux() ? "linux"
            : OperatingSystem.IsMacOS() ? "osx"
            : OperatingSystem.IsWindows() ? "win"
            : OperatingSystem.IsFreeBSD() ? "freebsd"
            : RuntimeInformation.OSDescription;
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return $"{os}-{arch}";
    }
}
