using System.Management.Automation;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Base of the cmdlets that work on message files that already exist (Get-CapnpMessageInfo,
/// Repair-CapnpMappedMessage, Resize-CapnpMappedMessage): -Path with wildcards or -LiteralPath, each
/// resolved file handed to <see cref="ProcessFile"/> in turn.
/// </summary>
public abstract class ExistingFileCmdletBase : CapMapCmdletBase
{
    protected const string PathSet = "Path";
    protected const string LiteralPathSet = "LiteralPath";

    /// <summary>Message file(s); wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Message file(s), taken as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string path in literal ? LiteralPath : Path)
            foreach (string file in ResolveExistingFiles(path, literal))
                ProcessFile(file);
    }

    /// <summary>Works on one resolved file; errors for it are written, not thrown, so the others still run.</summary>
    protected abstract void ProcessFile(string file);
}
