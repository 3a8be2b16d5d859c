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
    private CapnpMappedMessage? _pendingMessage;
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
            if (message.AwaitsSchema && _approved == true) Start(message);
            if (_approved == true) RunOrThrow(() => { message.ThrowIfFailed(); return 0; }, message.Path);
            if (PassThru) WriteObject(message);
            return;
        }
        Add(message, InputObject);
    }

    /// <summary>Writes one input, or, while the message awaits its inferred schema, holds it back for the sample.</summary>
    private void Add(CapnpMappedMessage message, object? input)
    {
        if (message.AwaitsSchema)
        {
            if (!ReferenceEquals(_pendingMessage, message))
            {
                RunOrThrow(() => { message.ThrowIfNotOpen(); return 0; }, message);
                _pendingMessage = message;
                _approved = ShouldProcess(message.Path, "Create the file and add records (schema inferred from them)");
            }
            if (_approved == true && message.Hold(input)) Start(message);
            return;
        }
        var appender = Prepare(message);
        if (appender is not null) Append(appender, input);
    }

    /// <summary>Fixes the inferred schema from the held records, creates the file and writes them.</summary>
    private void Start(CapnpMappedMessage message)
    {
        var held = RunOrThrow(() => message.StartInferred(), message.Path);
        var appender = Prepare(message, approved: true)!;
        foreach (object? record in held)
        {
            if (Stopping) return;
            Append(appender, record);
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == InputObjectSet && Message.AwaitsSchema && _approved == true) Start(Message);
        if (ParameterSetName == InputObjectSet)
        {
            if (_appender is not null) RunOrThrow(() => { _appender.Message.ThrowIfFailed(); return 0; }, _appender.Message.Path);
            if (PassThru) WriteObject(Message);
        }
    }

    /// <summary>The appender for this message (target resolved once per message); null when -WhatIf/-Confirm declined.</summary>
    private RecordAppender? Prepare(CapnpMappedMessage message, bool? approved = null)
    {
        if (_appender is not null && ReferenceEquals(_appender.Message, message)) return _approved == true ? _appender : null;
        RunOrThrow(() => { message.ThrowIfNotOpen(); return 0; }, message);
        var target = message.Records is { } records && string.IsNullOrEmpty(Field) ? records : ResolveField(message.RootSchema, Field, rootIfNoList: false)!;
        _appender = new RecordAppender(message, target, Strict);
        _approved = approved ?? ShouldProcess(message.Path, target.IsList ? $"Add records to list '{target.Path}'" : $"Set struct '{target.Path}'");
        if (_approved == true) _touched.Add(message);
        return _approved == true ? _appender : null;
    }

    private void Append(RecordAppender appender, object? input)
    {
        var error = RunOrThrow(() => appender.Append(input), appender.Message.Path);
        if (error is not null) WriteError(error);
        WarnUnseen(appender.Message);
    }

    /// <summary>Ctrl+C: the records added so far are made durable with a checkpoint; the message stays usable.</summary>
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
