using System.Management.Automation;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Writes a checkpoint of an open message: the file becomes a valid message of every record added so far and
/// is flushed to disk, while building continues. After a crash, Repair-CapnpMappedMessage restores it.
/// </summary>
[Cmdlet(VerbsData.Save, "CapnpMappedMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(CapnpMappedMessage))]
public sealed class SaveCapnpMappedMessageCommand : PassThruMessageCmdletBase
{
    protected override void ProcessRecord()
    {
        var message = Message;
        if (ShouldProcess(message.Path, "Write a checkpoint"))
        {
            if (!TryRun(() => message.Checkpoint(), message)) return;
            WriteVerbose($"Checkpoint #{message.LastCheckpoint?.Sequence} of '{message.Path}': {message.LastCheckpoint?.RecordCount:N0} records, {message.LastCheckpoint?.MessageBytes:N0} bytes.");
        }
        if (PassThru) WriteObject(message);
    }
}
