using System.Management.Automation;
using CapMap.Messages;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Cuts the slack off a message file: the bytes after the end of the message its segment table declares
/// (a file left at its grown size). Files still being written are refused (they are locked).
/// </summary>
[Cmdlet(VerbsCommon.Resize, "CapnpMappedMessage", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CapnpResizeResult))]
public sealed class ResizeCapnpMappedMessageCommand : ExistingFileCmdletBase
{
    protected override void ProcessFile(string file)
    {
        MessageFileInfo? info = null;
        if (!TryRun(() => info = MessageFileInfo.Read(file), file)) return;
        if (info!.IsTruncated)
        {
            WriteNonTerminating(ErrorIds.ResizeFailed, ErrorCategory.InvalidData,
                new InvalidDataException($"'{file}' is {info.FileBytes:N0} bytes but its segment table declares {info.MessageBytes:N0}: it is truncated, not slack. Try Repair-CapnpMappedMessage."), file);
            return;
        }
        if (info.SlackBytes == 0)
        {
            WriteObject(new CapnpResizeResult(info.Path, info.FileBytes, info.FileBytes));
            return;
        }
        if (!ShouldProcess(file, $"Cut {info.SlackBytes:N0} bytes of slack after the message")) return;
        // Sizes are measured on the file itself, before and after, rather than taken from TrimSlack's count.
        if (TryRun(() => MessageFiles.TrimSlack(file), file))
            WriteObject(new CapnpResizeResult(info.Path, info.FileBytes, new FileInfo(file).Length));
    }
}
