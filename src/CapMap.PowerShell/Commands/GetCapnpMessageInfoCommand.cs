using System.Management.Automation;
using CapMap.Messages;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Reads a message file's segment tables and CapMap checkpoint records (not the messages themselves): one
/// object per message of the file (a stream may hold several), with segments and sizes, record count,
/// slack after the last message, and whether a CapMap message is complete or at a checkpoint. A truncated message is
/// described and also reported as the error Import-CapnpMessage gives for it (InvalidMessageFile).
/// </summary>
[Cmdlet(VerbsCommon.Get, "CapnpMessageInfo", DefaultParameterSetName = PathSet)]
[OutputType(typeof(CapnpMessageInfo))]
public sealed class GetCapnpMessageInfoCommand : ExistingFileCmdletBase
{
    private protected override (string ErrorId, ErrorCategory Category) IOFailure => (ErrorIds.ReadFailed, ErrorCategory.ReadError);

    protected override void ProcessFile(string file)
    {
        IReadOnlyList<MessageFileInfo>? messages = null;
        if (!TryRun(() => messages = MessageFileInfo.ReadAll(file), file)) return;
        foreach (var info in messages!)
        {
            WriteObject(new CapnpMessageInfo(info));
            // Described (that is what this cmdlet is for) and reported as Import-CapnpMessage reports it.
            TryRun(info.ThrowIfTruncated, file);
        }
    }
}
