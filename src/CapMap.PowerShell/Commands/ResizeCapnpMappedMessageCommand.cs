using System.Management.Automation;
using CapMap.Messages;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Cuts the slack off a message file: the bytes after the end of the message its segment table declares
/// (a file left at its grown size). Files still being written are refused (they are locked).
/// </summary>
[Cmdlet(VerbsCommon.Resize, "CapnpMappedMessage", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CapnpResizeResult))]
public sealed class ResizeCapnpMappedMessageCommand : CapMapCmdletBase
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
                MessageFileInfo? info = null;
                if (!TryRun(() => info = MessageFileInfo.Read(file), file)) continue;
                if (info!.IsTruncated)
                {
                    WriteNonTerminating(ErrorIds.ResizeFailed, ErrorCategory.InvalidData,
                        new InvalidDataException($"'{file}' is {info.FileBytes:N0} bytes but its segment table declares {info.MessageBytes:N0}: it is truncated, not slack. Try Repair-CapnpMappedMessage."), file);
                    continue;
                }
                if (info.SlackBytes == 0)
                {
                    WriteObject(new CapnpResizeResult(info.Path, info.FileBytes, info.FileBytes));
                    continue;
                }
                if (!ShouldProcess(file, $"Cut {info.SlackBytes:N0} bytes of slack after the message")) continue;
                // Sizes are measured on the file itself, before and after, rather than taken from TrimSlack's count.
                if (TryRun(() => MessageFiles.TrimSlack(file), file))
                    WriteObject(new CapnpResizeResult(info.Path, info.FileBytes, new FileInfo(file).Length));
            }
        }
    }
}
