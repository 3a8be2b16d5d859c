using System.Management.Automation;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Objects.Codecs;
using CapMap.PowerShell.Internal;
using CapMap.Schema;
using CapMap.Schema.Inference;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Base of the cmdlets that create a mapped message (New-CapnpMappedMessage, Export-CapnpMessage): the file
/// (-Path or -LiteralPath naming one new file, -Force to replace an existing one), the schema and root type (or how
/// to infer them), the root's values, and how the file is reserved and grown. Derived cmdlets declare
/// <c>SupportsShouldProcess</c> and ask <c>ShouldProcess</c> with the path <see cref="ResolveMessageFile"/> returns,
/// after every check that can fail, so -WhatIf reports only what would really happen.
/// </summary>
public abstract class NewMessageCmdletBase : SchemaInferenceCmdletBase, IDynamicParameters
{
    /// <summary>The file to create.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The file to create, taken as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private readonly SchemaParameters _schemaParameters = new();

    /// <summary>-Schema and -RootType (see <see cref="SchemaParameters"/>).</summary>
    public object GetDynamicParameters() => _schemaParameters;

    /// <summary>-Schema. Without it the schema is inferred from the records.</summary>
    protected object? Schema => _schemaParameters.Schema;

    /// <summary>-RootType: with -Schema, which struct; without, the name of the inferred root (default Batch).</summary>
    protected string RootType => _schemaParameters.RootType;

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

    /// <summary>
    /// Write the new message after the messages the file holds (a stream of messages; they stay byte for byte);
    /// a missing file is created. Without -Schema the schema is inferred from the new objects and the new message
    /// carries it (each message carries its own), unless the file's last message carries a schema a user wrote,
    /// which is then used. A -Schema whose root does not match the file's is refused (SchemaMismatch) unless -Force.
    /// An append whose every record is refused leaves the file as it was.
    /// </summary>
    [Parameter]
    public SwitchParameter Append { get; set; }

    /// <summary>The file to write, checked (FileExists without -Force or -Append, PathIsDirectory, PathNotFound) or the command stops.</summary>
    protected string ResolveMessageFile() => ResolveNewFile(ParameterSetName == LiteralPathSet ? LiteralPath : Path, Force || Append);

    /// <summary>With -Append, the schema the file's last message carries (null: no file, no messages, or none carried).</summary>
    protected CarriedSchema? AppendedToSchema(string path)
    {
        if (!Append || !File.Exists(path) || new FileInfo(path).Length == 0) return null;
        return RunOrThrow(() =>
        {
            // One mapping for the list of messages and the last one's schema; the writer opens the file itself, under its lock.
            using var file = OpenMessageFile.Open(path);
            return file.Messages.Count == 0 || file.SchemaOf(file.Messages.Count - 1) is not { } embedded ? null : CarriedSchema.Load(embedded);
        }, path);
    }

    /// <summary>With -Append, refuses a root that does not match the file's (SchemaMismatch) unless -Force.</summary>
    protected void CheckAppendedRoot(string path, StructSchema root)
    {
        if (Force || AppendedToSchema(path) is not { } carried || carried.Matches(root)) return;
        ThrowTerminating(new CapMapErrorException(ErrorIds.SchemaMismatch, ErrorCategory.InvalidArgument,
            $"'{path}' holds messages with root {carried.Root.NestedName} (@0x{carried.Root.Id:x16}); {root.NestedName} (@0x{root.Id:x16}) has another layout. Use -Force to append anyway, or leave out -Schema to use the file's.", path));
    }

    /// <summary>True when the schema is to be inferred from the records (no -Schema).</summary>
    protected bool InfersSchema => Schema is null;

    /// <summary>The resolved -Schema and -RootType (the schema's only root candidate when -RootType is not given), or the command stops.</summary>
    protected (CapnpSchema Schema, StructSchema Root) ResolveSchemaAndRoot() => ResolveSchemaAndRoot(Schema, RootType);

    /// <summary>How the schema is inferred without -Schema: -Depth, -SampleSize, -RootType and the records field.</summary>
    protected InferenceOptions InferenceOptions(string? recordsField) =>
        InferenceOptionsFor(RootType.Length == 0 ? "Batch" : RootType, string.IsNullOrEmpty(recordsField) ? "records" : recordsField);

    /// <summary>Creates the message file with the root's -Property values, or stops the command with the error's ErrorId. The file carries the schema.</summary>
    private protected CapnpMappedMessage CreateMessage(string path, CapnpSchema schema, StructSchema root) =>
        RunOrThrow(() => CapnpMappedMessage.Create(path, schema, root, MessageOptions(), Property, Strict), path);

    /// <summary>
    /// A message whose schema Core infers from its first records (held back until the sample is full or the input
    /// ends), then creates the file with; <paramref name="recordsField"/> names the inferred root's list. With
    /// -Append, <paramref name="follows"/> is the schema of the file's last message (an inferred one): the new
    /// message carries the objects' own schema, and a difference from it is reported.
    /// </summary>
    private protected CapnpMappedMessage CreateInferredMessage(string path, string? recordsField, CarriedSchema? follows) =>
        CapnpMappedMessage.CreateInferred(path, new PendingMessage(path, InferenceOptions(recordsField), MessageOptions(), Property,
            PowerShellObjects.Model with { ValuesWrittenAsText = new ValuesWrittenAsText(Depth) }, Strict) { Follows = follows });

    private MappedMessageOptions MessageOptions() => new() { ReserveBytes = Reserve, Growth = Growth, Overwrite = Force, Append = Append };
}
