using System.Management.Automation;
using CapMap.Messages;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Reads a message file's segment table and CapMap checkpoint record (not the message itself): segments and
/// sizes, slack after the message, and whether the file is complete or at a checkpoint.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CapnpMessageInfo", DefaultParameterSetName = PathSet)]
[OutputType(typeof(CapnpMessageInfo))]
public sealed class GetCapnpMessageInfoCommand : CapMapCmdletBase
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
                if (TryRun(() => info = MessageFileInfo.Read(file), file)) WriteObject(new CapnpMessageInfo(info!));
            }
        }
    }
}
