using System.Management.Automation;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Finishes an open message: closes its lists, writes the segment table, cuts the file to size and flushes it.
/// Outputs a summary with the finished file.
/// </summary>
[Cmdlet(VerbsLifecycle.Complete, "CapnpMappedMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(CapnpMessageSummary))]
public sealed class CompleteCapnpMappedMessageCommand : OpenMessageCmdletBase
{
    /// <summary>Skip msync/fsync at the end (faster; the data reaches the disk when the kernel writes it back).</summary>
    [Parameter]
    public SwitchParameter NoFlush { get; set; }

    protected override void ProcessRecord()
    {
        var message = Message;
        if (!ShouldProcess(message.Path, "Complete the Cap'n Proto message")) return;
        CapnpMessageSummary? summary = null;
        if (TryRun(() => summary = message.Complete(flush: !NoFlush), message))
            WriteObject(summary);
    }
}
