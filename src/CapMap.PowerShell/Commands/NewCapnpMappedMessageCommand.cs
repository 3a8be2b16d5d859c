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
        string path = ResolveMessageFile();
        var fileSchema = InfersSchema ? AppendedToSchema(path) : null;
        if (fileSchema is { Inferred: null } carried)
        {
            // A schema a user wrote, carried by the file: records go in under it, as with -Schema.
            if (ShouldProcess(path, $"Append a mapped Cap'n Proto message (root {carried.Root.NestedName}, the file's schema)"))
                WriteObject(CreateMessage(path, CapnpSchema.FromCarried(carried, path), carried.Root));
            return;
        }
        if (InfersSchema)
        {
            if (ShouldProcess(path, "Create a mapped Cap'n Proto message (schema inferred at the first Add-CapnpStruct)"))
                WriteObject(CreateInferredMessage(path, recordsField: null, fileSchema));
            return;
        }
        var (schema, root) = ResolveSchemaAndRoot();
        CheckAppendedRoot(path, root);
        if (!ShouldProcess(path, $"Create a mapped Cap'n Proto message (root {root.NestedName})")) return;
        WriteObject(CreateMessage(path, schema, root));
    }
}
