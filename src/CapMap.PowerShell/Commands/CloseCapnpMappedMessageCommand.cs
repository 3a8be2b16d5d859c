using System.Management.Automation;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Checkpoints an open message (flushed, as Save-CapnpMappedMessage does) and closes it: the file keeps every
/// record added and its lock is released. A failed message is closed at its last checkpoint.
/// </summary>
[Cmdlet(VerbsCommon.Close, "CapnpMappedMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(CapnpMappedMessage))]
public sealed class CloseCapnpMappedMessageCommand : PassThruMessageCmdletBase
{
    protected override void ProcessRecord()
    {
        var message = Message;
        if (message.State is CapnpMessageState.Open or CapnpMessageState.Failed && ShouldProcess(message.Path, "Checkpoint and close"))
        {
            try
            {
                // A failed message cannot checkpoint (MessageFailed is reported); disposing restores its last one.
                TryRun(() => message.Checkpoint(), message);
            }
            finally
            {
                message.Dispose();
            }
            WriteVerbose($"Closed '{message.Path}' at checkpoint #{message.LastCheckpoint?.Sequence} ({message.LastCheckpoint?.RecordCount:N0} records).");
        }
        if (PassThru) WriteObject(message);
    }
}
