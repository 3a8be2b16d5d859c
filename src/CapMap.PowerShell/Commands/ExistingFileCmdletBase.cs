using System.Management.Automation;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Base of the cmdlets that read or change files that already exist (Import-CapnpMessage, Import-CapnpSchema,
/// Get-CapnpMessageInfo, Repair-CapnpMappedMessage, Resize-CapnpMappedMessage): -Path with wildcards or
/// -LiteralPath, each resolved file handed to <see cref="ProcessFile"/> in turn.
/// </summary>
public abstract class ExistingFileCmdletBase : CapMapCmdletBase
{
    /// <summary>The file(s); wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>The file(s), taken as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string path in literal ? LiteralPath : Path)
            foreach (string file in ResolveExistingFiles(path, literal))
            {
                if (Stopping) return;
                ProcessFile(file);
            }
    }

    /// <summary>Works on one resolved file; errors for it are written, not thrown, so the others still run.</summary>
    protected abstract void ProcessFile(string file);
}
