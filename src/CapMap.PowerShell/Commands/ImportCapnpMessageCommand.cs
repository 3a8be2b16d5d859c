using System.Management.Automation;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Objects.Reading;
using CapMap.PowerShell.Internal;
using CapMap.Schema;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Reads a message file back as objects: the elements of a List(Struct) field one at a time (the root's only one
/// by default), or one struct (the root, or -Field naming a struct). The file is mapped and read in place, lazily;
/// enums come back as names, Data as byte[], a union as its one member that is set. Each object is an instance of
/// a class generated per struct (<see cref="Row"/>), with a property per field: it behaves as any .NET object in
/// Where-Object, Sort-Object, Format-Table, Export-Csv and ConvertTo-Json. Each message is read by its own
/// carried schema unless -Schema is given.
/// </summary>
/// <remarks>Core's <see cref="ObjectMessageReader"/> does the reading (and sizes the traversal limit to the file).</remarks>
[Cmdlet(VerbsData.Import, "CapnpMessage", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Row))]
public sealed class ImportCapnpMessageCommand : ExistingFileCmdletBase, IDynamicParameters
{
    /// <summary>Progress is reported every this many records (a power of two: the test is a mask).</summary>
    private const int ProgressEveryRecords = 1 << 16;

    private StructSchema? _root;
    private FieldPath? _target;

    private readonly SchemaParameters _schemaParameters = new();

    /// <summary>-Schema and -RootType (see <see cref="SchemaParameters"/>).</summary>
    public object GetDynamicParameters() => _schemaParameters;

    /// <summary>-Schema: the schema the file was written with. Default: the schema the file carries.</summary>
    private object? Schema => _schemaParameters.Schema;

    /// <summary>-RootType: the struct to read each message's root as: of -Schema, or without it of the schema each message carries. Default: the carried schema's root, or -Schema's only root candidate.</summary>
    private string RootType => _schemaParameters.RootType;

    /// <summary>What to read: a List(Struct) field (its elements) or a struct/group field. Default: the root's only List(Struct) field, else the root.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(FieldPathCompleter))]
    public string? Field { get; set; }

    /// <summary>Skip this many elements of the list first.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Skip { get; set; }

    /// <summary>Read at most this many elements.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int First { get; set; } = int.MaxValue;

    /// <summary>Read only these messages of the file (0-based, as Get-CapnpMessageInfo numbers them), in file order; -Skip and -First count over their elements.</summary>
    [Parameter]
    [Alias("Index")]
    [ValidateNotNullOrEmpty]
    [ValidateRange(0, int.MaxValue)]
    public int[]? MessageIndex { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (Schema is null) return; // each file's carried schema
        (_, _root) = ResolveSchemaAndRoot(Schema, RootType);
        _target = ResolveField(_root, Field, rootIfNoList: true);
    }

    /// <summary>
    /// Words the reading of each file may visit, all its messages together. Default: the file's words plus 64 Ki
    /// (<see cref="ObjectMessageReader.TraversalSlackInWords"/>), which reads every file CapMap writes; a file that
    /// claims more values than it stores (elements of zero size cost one word each) stops with InvalidMessageFile.
    /// Raise it only for files you trust.
    /// </summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long TraversalLimit { get; set; }

    private protected override (string ErrorId, ErrorCategory Category) IOFailure => (ErrorIds.ReadFailed, ErrorCategory.ReadError);

    protected override void ProcessFile(string file) => TryRun(() => ReadFile(file), file);

    private void ReadFile(string file)
    {
        using var reader = ObjectMessageReader.Open(file);
        if (TraversalLimit > 0) reader.TraversalLimitInWords = TraversalLimit;
        if (MessageIndex is not null) reader.SelectMessages(MessageIndex);
        if (_root is not null) CarriedRootCheck.ThrowIfMismatch(reader.File, reader.Messages, _root);
        foreach (var message in reader.Messages)
            if (message.IsIncomplete)
                WriteWarning($"Message {message.Index} of '{file}' is not complete (state {message.State}, checkpoint {message.CheckpointSequence}): " +
                    $"its writer is still at work, or stopped before completing it (Repair-CapnpMappedMessage restores it). " +
                    $"What it holds up to its last checkpoint is read: {message.RecordCount:N0} record(s).");
        // With -Schema every message is read by it; else each by the schema it carries, through the codec Core picks.
        var rows = _root is not null
            ? reader.ReadRows(_root, _target, PowerShellObjects.Model, Skip, First, readAhead: true)
            : reader.ReadRows(carried => CarriedRootType(carried, file), root => ResolveField(root, Field, rootIfNoList: true), PowerShellObjects.Model, Skip, First, readAhead: true);
        var progress = new ProgressRecord(Math.Abs(file.GetHashCode() % 100000) + 1, $"Import-CapnpMessage {System.IO.Path.GetFileName(file)}", "Reading");
        long count = 0;
        foreach (var value in rows)
        {
            if (Stopping) return;
            WriteObject(value);
            if ((++count & (ProgressEveryRecords - 1)) == 0)
            {
                progress.StatusDescription = $"{count:N0} records";
                progress.PercentComplete = (int)(reader.Fraction * 100);
                WriteProgress(progress);
            }
        }
        if (count < ProgressEveryRecords) return;
        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
    }

    /// <summary>
    /// -RootType without -Schema: the struct of a message's carried schema to read its root as, as with -Schema (the
    /// carried root when not given). A name the carried schema does not have is RootTypeNotFound, listing its structs.
    /// </summary>
    private StructSchema CarriedRootType(CarriedSchema carried, string file) =>
        RootType.Length == 0 ? carried.Root : CapnpSchema.FromCarried(carried, file).GetStruct(RootType);
}
