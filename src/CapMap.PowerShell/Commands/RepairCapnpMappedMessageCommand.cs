using System.Management.Automation;
using CapMap.Messages;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Restores a message file to its last checkpoint after a crash, a kill or a failure: rewrites the segment
/// table, root pointer and list counts from the newest intact checkpoint record and cuts the file to it.
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "CapnpMappedMessage", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RepairResult))]
public sealed class RepairCapnpMappedMessageCommand : ExistingFileCmdletBase
{
    protected override void ProcessFile(string file)
    {
        if (!ShouldProcess(file, "Restore the last checkpoint")) return;
        RepairResult? result = null;
        if (TryRun(() => result = MessageRepair.Repair(file), file)) WriteObject(result);
    }
}
