using System.Management.Automation;
using CapMap.Messages;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Restores a message file to its last checkpoint after a crash, a kill or a failure: rewrites the segment
/// table, root pointer and list counts from the newest intact checkpoint record and cuts the file to it.
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "CapnpMappedMessage", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RepairResult))]
public sealed class RepairCapnpMappedMessageCommand : CapMapCmdletBase
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

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
        {
            foreach (string file in ResolveExistingFiles(path, literal))
            {
                if (!ShouldProcess(file, "Restore the last checkpoint")) continue;
                RepairResult? result = null;
                if (TryRun(() => result = MessageRepair.Repair(file), file)) WriteObject(result);
            }
        }
    }
}
