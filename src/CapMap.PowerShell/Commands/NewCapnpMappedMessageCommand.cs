using System.Management.Automation;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Creates a message file that grows on demand and returns the open message. Add records with
/// Add-CapnpStruct, finish with Complete-CapnpMappedMessage (or Dispose(): the records stay, as a checkpoint).
/// </summary>
[Cmdlet(VerbsCommon.New, "CapnpMappedMessage", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(CapnpMappedMessage))]
public sealed class NewCapnpMappedMessageCommand : NewMessageCmdletBase
{
    protected override void EndProcessing()
    {
        string path = ResolveTargetFile();
        if (InfersSchema)
            ThrowTerminating(new CapMapErrorException(ErrorIds.SchemaRequired, System.Management.Automation.ErrorCategory.InvalidArgument,
                "New-CapnpMappedMessage needs -Schema; to write objects without one, use Export-CapnpMessage, which infers the schema.", path));
        var (schema, root) = ResolveSchemaAndRoot();
        if (!ShouldProcess(path, $"Create a mapped Cap'n Proto message (root {root.NestedName})")) return;
        WriteObject(CreateMessage(path, schema, root));
    }
}
