using System.Management.Automation;
using CapMap.PowerShell.Internal;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Writes objects into an open message: appends them to a List(Struct) field (the root's only one by default)
/// or sets a struct field. Two forms: objects from the pipeline (<c>Import-Csv x.csv | Add-CapnpStruct -Message $m</c>)
/// or the message from the pipeline with the objects in -Value (<c>$m | Add-CapnpStruct -Value $items -PassThru</c>).
/// </summary>
[Cmdlet(VerbsCommon.Add, "CapnpStruct", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(CapnpMappedMessage))]
public sealed class AddCapnpStructCommand : CapMapCmdletBase
{
    private const string InputObjectSet = "InputObject";
    private const string ValueSet = "Value";

    private RecordAppender? _appender;
    private bool? _approved;
    private readonly List<CapnpMappedMessage> _touched = new();

    /// <summary>The open message (New-CapnpMappedMessage). Comes from the pipeline in the -Value form.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet)]
    [Parameter(Mandatory = true, ParameterSetName = ValueSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public CapnpMappedMessage Message { get; set; } = null!;

    /// <summary>The objects to write, from the pipeline.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>The objects to write, when the message comes from the pipeline.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ValueSet, Position = 0)]
    [AllowNull]
    [AllowEmptyCollection]
    public object?[] Value { get; set; } = Array.Empty<object?>();

    /// <summary>Where to write: a List(Struct) field (dotted path for nested structs) or a struct/group field. Default: the root's only List(Struct) field.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(FieldPathCompleter))]
    public string? Field { get; set; }

    /// <summary>Reject records with properties the struct does not have.</summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    /// <summary>Output the message (for piping on to Complete-CapnpMappedMessage).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var message = Message;
        if (ParameterSetName == ValueSet)
        {
            foreach (object? value in Value)
            {
                if (Stopping) return;
                Add(message, value);
            }
            // The values of this message end here: a sample they started is written now.
            if (_approved == true && _appender is { } appender && ReferenceEquals(appender.Message, message)) End(appender);
            if (PassThru) WriteObject(message);
            return;
        }
        Add(message, InputObject);
    }

    /// <summary>Passes one input to the message (Core holds it while the message awaits its inferred schema).</summary>
    private void Add(CapnpMappedMessage message, object? input)
    {
        var appender = Prepare(message);
        if (appender is null) return;
        WriteErrors(appender, RunOrThrow(() => appender.Append(input), message.Path));
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == InputObjectSet)
        {
            if (_approved == true && _appender is { } appender) End(appender);
            if (PassThru) WriteObject(Message);
        }
    }

    /// <summary>The input for this message ended: a held sample is written now; then a failure of the file since the last check is reported.</summary>
    private void End(RecordAppender appender)
    {
        WriteErrors(appender, RunOrThrow(() => appender.End(), appender.Message.Path));
        WarnWrittenAsText(appender.Message);
        RunOrThrow(() => { appender.Message.ThrowIfFailed(); return 0; }, appender.Message.Path);
    }

    private void WriteErrors(RecordAppender appender, IReadOnlyList<ErrorRecord> errors)
    {
        foreach (var error in errors) WriteError(error);
        ReportSchemaChanges(appender.Message);
    }

    /// <summary>
    /// The appender for this message (asked once per message); null when -WhatIf/-Confirm declined. The target is
    /// resolved once the message has its file: now, or after the sample of an inferred schema.
    /// </summary>
    private RecordAppender? Prepare(CapnpMappedMessage message)
    {
        if (_appender is not null && ReferenceEquals(_appender.Message, message)) return _approved == true ? _appender : null;
        RunOrThrow(() => { message.ThrowIfNotOpen(); return 0; }, message);
        if (message.AwaitsSchema)
        {
            _approved = ShouldProcess(message.Path, "Create the file and add records (schema inferred from them)");
            _appender = new RecordAppender(message, writer => TargetIn(writer.Records, writer.RootSchema), Strict);
        }
        else
        {
            var target = TargetIn(message.Records, message.RootSchema);
            _approved = ShouldProcess(message.Path, target.IsList ? $"Add records to list '{target.Path}'" : $"Set struct '{target.Path}'");
            // Resolved again in each message's root: the records' schema can change within the file.
            _appender = new RecordAppender(message, writer => TargetIn(writer.Records, writer.RootSchema), Strict);
        }
        if (_approved == true) _touched.Add(message);
        return _approved == true ? _appender : null;
    }

    /// <summary>-Field in <paramref name="root"/>; without it, the list an inferred schema keeps its records in, or the root's only List(Struct) field.</summary>
    private CapMap.Objects.FieldPath TargetIn(CapMap.Objects.FieldPath? records, CapMap.Schema.StructSchema root) =>
        records is not null && string.IsNullOrEmpty(Field) ? records : ResolveField(root, Field, rootIfNoList: false)!;

    /// <summary>Ctrl+C: the records added so far (a held sample included: the checkpoint writes it) are made durable with a checkpoint; the message stays usable.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && StoppingToken.IsCancellationRequested)
        {
            foreach (var message in _touched)
            {
                if (message.State != CapnpMessageState.Open) continue;
                try
                {
                    message.Checkpoint();
                }
                catch (Exception e) when (e is IOException or CapMapErrorException or InvalidOperationException)
                {
                    // The file keeps its previous checkpoint; disposing the message restores it.
                }
            }
        }
        base.Dispose(disposing);
    }
}
