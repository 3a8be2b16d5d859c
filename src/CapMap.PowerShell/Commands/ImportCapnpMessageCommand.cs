using System.Management.Automation;
using CapMap.Objects;
using CapMap.Objects.Reading;
using CapMap.PowerShell.Internal;
using CapMap.Messages;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Wire;

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
public sealed class ImportCapnpMessageCommand : ExistingFileCmdletBase
{
    /// <summary>Progress is reported every this many records (a power of two: the test is a mask).</summary>
    private const int ProgressEveryRecords = 1 << 16;

    private StructSchema? _root;
    private FieldPath? _target;

    /// <summary>The schema the file was written with: what Import-CapnpSchema returns, or a .capnp or precompiled schema file's path. Default: the schema the file carries.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Schema { get; set; }

    /// <summary>The name of the file's root struct (with -Schema). Default: the carried schema's root, or the schema's only root candidate.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RootTypeCompleter))]
    public string RootType { get; set; } = "";

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
        foreach (var message in reader.Messages)
            if (message.IsIncomplete)
                WriteWarning($"Message {message.Index} of '{file}' is not complete (state {message.State}, checkpoint {message.CheckpointSequence}): " +
                    $"its writer is still at work, or stopped before completing it (Repair-CapnpMappedMessage restores it). " +
                    $"What it holds up to its last checkpoint is read: {message.RecordCount:N0} record(s).");
        // Records are copied out of the mapping in batches and decoded when a row is first read (DetachedRows).
        var rows = new StructRowReader();
        var explicitRows = new DetachedRows(rows.ShapeOf, rows.ValuesOf);
        Func<MessageFileInfo, MessagePlan<object>> planFor = _root is not null
            ? _ => new MessagePlan<object>(_root, _target, rows.Read) { Batch = explicitRows.NewBatch }
            : new CarriedPlans(this, file, rows, explicitRows).For;
        var progress = new ProgressRecord(Math.Abs(file.GetHashCode() % 100000) + 1, $"Import-CapnpMessage {System.IO.Path.GetFileName(file)}", "Reading");
        long count = 0;
        foreach (var value in reader.Read(planFor, Skip, First, readAhead: true))
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
    /// Plans for a file read by the schemas it carries: each message by its own (a file appended to with -Force may
    /// hold messages of different schemas), a message that carries none by the one before it. A message that carries
    /// the same schema as the one before it (every message a full list went on in) reuses that message's plan, so the
    /// schema is loaded and its readers compiled once, not once per message.
    /// </summary>
    private sealed class CarriedPlans(ImportCapnpMessageCommand command, string file, StructRowReader rows, DetachedRows explicitRows)
    {
        private MessagePlan<object>? _previous;
        private EmbeddedSchema? _previousSchema;

        public MessagePlan<object> For(MessageFileInfo message)
        {
            var embedded = EmbeddedSchema.ReadAt(file, message.Offset);
            if (embedded is null)
                return _previous ?? throw new CapMapErrorException(ErrorIds.NoEmbeddedSchema, ErrorCategory.InvalidArgument,
                    $"'{file}' carries no schema (it was not written by this version of CapMap); give -Schema and -RootType.", file);
            if (_previous is not null && embedded.SameAs(_previousSchema)) return _previous;
            var carried = CarriedSchema.Load(embedded);
            var target = command.ResolveField(carried.Root, command.Field, rootIfNoList: true);
            if (carried.Inferred is { } inferred && target is not null && target.Path == inferred.Root.Fields[0].Identifier)
            {
                var records = new InferredRowReader(inferred, carried.SchemaSet, PSObjectReader.TypeNameFor, PSObjectReader.Present);
                var detached = new DetachedRows((_, _) => records.RecordShape, (r, _) => records.RecordValues(r), records.Present);
                return Remember(embedded, new MessagePlan<object>(carried.Root, target, (r, _) => records.Read(r)) { Batch = detached.NewBatch });
            }
            return Remember(embedded, new MessagePlan<object>(carried.Root, target, rows.Read) { Batch = explicitRows.NewBatch });
        }

        private MessagePlan<object> Remember(EmbeddedSchema schema, MessagePlan<object> plan)
        {
            _previousSchema = schema;
            return _previous = plan;
        }
    }
}
