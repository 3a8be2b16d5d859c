using System.Management.Automation;
using CapMap.Platform;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Checks whether growing mapped files work in a directory on this machine: the SIGBUS grow-on-fault
/// experiment, fallocate, collapse-range, MADV_POPULATE_WRITE, reservable address space, free space.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "CapMapPlatform")]
[OutputType(typeof(PlatformReport), typeof(bool))]
public sealed class TestCapMapPlatformCommand : CapMapCmdletBase
{
    /// <summary>The directory to test (default: the current location). A few small scratch files are created and removed there.</summary>
    [Parameter(Position = 0)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Output only $true or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void EndProcessing()
    {
        string directory = Path is null
            ? SessionState.Path.CurrentFileSystemLocation.ProviderPath
            : ResolveNewFilePath(Path);
        if (!Directory.Exists(directory))
        {
            ThrowTerminating(ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound,
                new DirectoryNotFoundException($"The directory '{directory}' does not exist."), directory);
        }
        PlatformReport report;
        try
        {
            report = PlatformProbe.Run(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            ThrowTerminating(ErrorIds.PlatformProbeFailed, ErrorCategory.ResourceUnavailable, e, directory);
            return;
        }
        if (Quiet) WriteObject(report.IsSupported);
        else WriteObject(report);
    }
}
