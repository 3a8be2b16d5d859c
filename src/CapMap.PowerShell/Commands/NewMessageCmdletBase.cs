using System.Management.Automation;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Schema;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Base of the cmdlets that create a mapped message (New-CapnpMappedMessage, Export-CapnpMessage): the file,
/// the schema and root type, the root's values, and how the file is reserved and grown.
/// </summary>
public abstract class NewMessageCmdletBase : NewFileCmdletBase
{
    /// <summary>The schema: what Import-CapnpSchema returns, or the path of a .capnp or precompiled schema file.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public object Schema { get; set; } = null!;

    /// <summary>The root struct's name.</summary>
    [Parameter(Mandatory = true)]
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

    /// <summary>The resolved -Schema and -RootType, or the command stops.</summary>
    protected (CapnpSchema Schema, StructSchema Root) ResolveSchemaAndRoot()
    {
        var schema = ResolveSchema(Schema);
        return (schema, ResolveRootType(schema, RootType));
    }

    /// <summary>Creates the message file with the root's -Property values, or stops the command with the error's ErrorId.</summary>
    private protected CapnpMappedMessage CreateMessage(string path, CapnpSchema schema, StructSchema root)
    {
        var options = new MappedMessageOptions { ReserveBytes = Reserve, Growth = Growth, Overwrite = Force };
        return RunOrThrow(() => CapnpMappedMessage.Create(path, schema, root, options, Property, Strict), path);
    }
}
