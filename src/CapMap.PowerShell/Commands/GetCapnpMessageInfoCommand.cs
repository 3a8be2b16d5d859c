using System.Management.Automation;
using CapMap.Messages;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Reads a message file's segment table and CapMap checkpoint record (not the message itself): segments and
/// sizes, slack after the message, and whether the file is complete or at a checkpoint.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CapnpMessageInfo", DefaultParameterSetName = PathSet)]
[OutputType(typeof(CapnpMessageInfo))]
public sealed class GetCapnpMessageInfoCommand : ExistingFileCmdletBase
{
    protected override void ProcessFile(string file)
    {
        MessageFileInfo? info = null;
        if (TryRun(() => info = MessageFileInfo.Read(file), file)) WriteObject(new CapnpMessageInfo(info!));
    }
}
