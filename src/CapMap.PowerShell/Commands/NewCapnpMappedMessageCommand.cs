using System.Management.Automation;
using CapMap.Mapping;
using CapMap.Messages;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Creates a message file that grows on demand and returns the open message. Add records with
/// Add-CapnpStruct, finish with Complete-CapnpMappedMessage (or Dispose(): the records stay, as a checkpoint).
/// </summary>
[Cmdlet(VerbsCommon.New, "CapnpMappedMessage", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(CapnpMappedMessage))]
public sealed class NewCapnpMappedMessageCommand : CapMapCmdletBase
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>This cmdlet creates the file, so a permission problem means it could not be created.</summary>
    protected override string AccessDeniedErrorId => ErrorIds.CreateFailed;

    /// <summary>The file to create.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The file to create, taken as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

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

    /// <summary>Reject -Property entries the root struct does not have.</summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        string path = ResolveNewFile(ParameterSetName == LiteralPathSet ? LiteralPath : Path, Force);
        var schema = ResolveSchema(Schema);
        var root = ResolveRootType(schema, RootType);
        if (!ShouldProcess(path, $"Create a mapped Cap'n Proto message (root {root.NestedName})")) return;

        var options = new MappedMessageOptions { ReserveBytes = Reserve, Growth = Growth, Overwrite = Force };
        var message = RunOrThrow(() => CapnpMappedMessage.Create(path, schema, root, options, Property, Strict), path);
        WriteObject(message);
    }
}
