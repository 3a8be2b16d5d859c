using System.Management.Automation;
using CapMap.Messages;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Cuts the slack off a message file: the bytes after its last message (a file left at its grown size), and the
/// holes of a last message CapMap left unfinished (cut down to its data as Repair-CapnpMappedMessage does).
/// Every message of a stream of several is kept. Files still being written are refused (they are locked),
/// and a file CapMap did not write is changed only with -Force. Cutting deletes bytes, so it asks first
/// (ConfirmImpact High).
/// </summary>
[Cmdlet(VerbsCommon.Resize, "CapnpMappedMessage", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CapnpResizeResult))]
public sealed class ResizeCapnpMappedMessageCommand : ExistingFileCmdletBase
{
    /// <summary>Also cut a file CapMap did not write (its bytes after the last message).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessFile(string file)
    {
        IReadOnlyList<MessageFileInfo>? messages = null;
        if (!TryRun(() => messages = MessageFileInfo.ReadAll(file), file)) return;
        var info = messages![^1];
        if (info.IsIncomplete)
        {
            // A stopped or killed writer's message: its holes are padding inside it, not slack after it; the core cuts
            // them as Repair does (restoring the last checkpoint, which such a file already ends at unless it was killed).
            if (!ShouldProcess(file, $"Restore the last checkpoint of its unfinished last message ({info.RecordCount:N0} records) and cut the file ({info.FileBytes:N0} bytes) down to its data")) return;
            if (TryRun(() => MessageFileSlack.Trim(file, Force), file))
                WriteObject(new CapnpResizeResult(info.Path, info.FileBytes, new FileInfo(file).Length));
            return;
        }
        if (info.IsTruncated)
        {
            WriteNonTerminating(ErrorIds.ResizeFailed, ErrorCategory.InvalidData,
                new InvalidDataException($"'{file}' is {info.FileBytes:N0} bytes but message {info.Index} declares {info.MessageBytes:N0} from byte {info.Offset:N0}: it is truncated, not slack. Try Repair-CapnpMappedMessage."), file);
            return;
        }
        if (info.SlackBytes == 0)
        {
            WriteObject(new CapnpResizeResult(info.Path, info.FileBytes, info.FileBytes));
            return;
        }
        if (!Force && !messages.Any(m => m.IsCapMapMessage))
        {
            WriteNonTerminating(ErrorIds.NotWrittenByCapMap, ErrorCategory.PermissionDenied,
                new ForeignMessageFileException($"'{file}' was not written by CapMap; use -Force to cut the {info.SlackBytes:N0} bytes after its last message anyway."), file);
            return;
        }
        string what = messages.Count == 1 ? "the message" : $"its {messages.Count} messages";
        if (!ShouldProcess(file, $"Cut {info.SlackBytes:N0} bytes of slack after {what}")) return;
        // Sizes are measured on the file itself, before and after, rather than taken from MessageFileSlack.Trim's count.
        if (TryRun(() => MessageFileSlack.Trim(file, Force), file))
            WriteObject(new CapnpResizeResult(info.Path, info.FileBytes, new FileInfo(file).Length));
    }
}
