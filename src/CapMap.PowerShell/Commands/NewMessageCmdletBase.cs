using System.Management.Automation;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Schema;
using CapMap.Schema.Inference;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Base of the cmdlets that create a mapped message (New-CapnpMappedMessage, Export-CapnpMessage): the file,
/// the schema and root type, the root's values, and how the file is reserved and grown.
/// </summary>
public abstract class NewMessageCmdletBase : NewFileCmdletBase
{
    /// <summary>The schema: what Import-CapnpSchema returns, or the path of a .capnp or precompiled schema file. Without it the schema is inferred from the records.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Schema { get; set; }

    /// <summary>The root struct's name (with -Schema: which struct; without: the name of the inferred root, default Batch).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RootTypeCompleter))]
    public string RootType { get; set; } = "";

    /// <summary>Values of root fields (not the streamed lists): a hashtable or an object.</summary>
    [Parameter]
    public object? Property { get; set; }

    /// <summary>Address space reserved for the file: the largest message it can hold (costs no memory).</summary>
    [Parameter]
    [ValidateRange(1L << 20, 1L << 46)]
    public long Reserve { get; set; } = MappedFileOptions.DefaultReserveBytes;

    /// <summary>Fault: the SIGBUS handler grows the file on first touch. Eager: the writer grows it ahead of use.</summary>
    [Parameter]
    public GrowthMode Growth { get; set; } = GrowthMode.Fault;

    /// <summary>Reject properties (of -Property, and of the records) that the struct does not have.</summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    /// <summary>True when the schema is to be inferred from the records (no -Schema).</summary>
    protected bool InfersSchema => Schema is null;

    /// <summary>The resolved -Schema and -RootType (the schema's only root candidate when -RootType is not given), or the command stops.</summary>
    protected (CapnpSchema Schema, StructSchema Root) ResolveSchemaAndRoot()
    {
        var schema = ResolveSchema(Schema);
        string rootType = RootType.Length == 0 && schema.RootCandidates.Length == 1 ? schema.RootCandidates[0] : RootType;
        return (schema, ResolveRootType(schema, rootType));
    }

    /// <summary>Creates the message file with the root's -Property values, or stops the command with the error's ErrorId. The file carries the schema.</summary>
    private protected CapnpMappedMessage CreateMessage(string path, CapnpSchema schema, StructSchema root)
    {
        var carried = schema.Inferred is { } inferred
            ? CarriedSchema.ForInferred(inferred)
            : CarriedSchema.ForExplicit(schema.SchemaSet, root, schema.GetRequestBytes());
        var options = new MappedMessageOptions { ReserveBytes = Reserve, Growth = Growth, Overwrite = Force, Schema = carried };
        return RunOrThrow(() => CapnpMappedMessage.Create(path, schema, root, options, Property, Strict), path);
    }

    /// <summary>Creates the message file with a schema inferred from records.</summary>
    private protected CapnpMappedMessage CreateInferredMessage(string path, InferredSchema inferred)
    {
        var schema = CapnpSchema.FromInferred(inferred, path);
        return CreateMessage(path, schema, (StructSchema)schema.SchemaSet.GetById(inferred.Root.Id));
    }
}
