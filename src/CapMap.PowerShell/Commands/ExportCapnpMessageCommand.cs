using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using CapMap.Objects.Codecs;
using CapMap.PowerShell.Internal;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// One shot, like Export-Csv: writes the pipeline's objects into a new message file (appended to the root's
/// List(Struct) field) and completes it. Records that cannot be converted are reported and skipped. Stopped
/// with Ctrl+C, the file keeps every record written so far as a checkpoint.
/// </summary>
[Cmdlet(VerbsData.Export, "CapnpMessage", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportCapnpMessageCommand : NewMessageCmdletBase
{
    private const int ProgressEveryRecords = 65536;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private CapnpMappedMessage? _message;
    private RecordAppender? _appender;
    private readonly Stopwatch _clock = new();
    private TimeSpan _lastProgress;
    private long _lastProgressRecords;
    private ProgressRecord? _progress;
    private PendingMessage? _pending;
    private string? _path;

    /// <summary>The objects to write. Null is refused when binding, as Export-Csv refuses it: no file is created for -InputObject $null, and a piped $null is reported and skipped.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>The List(Struct) field the objects go to (dotted for nested). Default: the root's only List(Struct) field. Without -Schema: the name of the inferred root's list (default records).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(FieldPathCompleter))]
    public string? Field { get; set; }

    /// <summary>Skip msync/fsync at the end.</summary>
    [Parameter]
    public SwitchParameter NoFlush { get; set; }

    /// <summary>Output the finished file (FileInfo).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        string path = ResolveMessageFile();
        if (InfersSchema && AppendedToSchema(path) is { } carried)
        {
            var fileSchema = CapnpSchema.FromCarried(carried, path);
            var recordsTarget = ResolveField(carried.Root, Field, rootIfNoList: false)!;
            if (!ShouldProcess(path, $"Append objects to the file's messages ({carried.Root.NestedName}.{recordsTarget.Path})")) return;
            var appended = CreateMessage(path, fileSchema, carried.Root);
            Open(appended, appended.Records ?? recordsTarget);
            return;
        }
        if (InfersSchema)
        {
            if (!ShouldProcess(path, "Export objects to a Cap'n Proto message (schema inferred from the objects)")) return;
            _pending = PendingMessageFor(path, Field);
            _path = path;
            return;
        }
        var (schema, root) = ResolveSchemaAndRoot();
        var target = ResolveField(root, Field, rootIfNoList: false)!;
        CheckAppendedRoot(path, root);
        if (!ShouldProcess(path, $"Export objects to a Cap'n Proto message ({root.NestedName}.{target.Path})")) return;
        Open(CreateMessage(path, schema, root), target);
    }

    private void Open(CapnpMappedMessage message, CapMap.Objects.FieldPath target)
    {
        _message = message;
        _appender = new RecordAppender(_message, target, Strict);
        _progress = new ProgressRecord(Math.Abs(message.Path.GetHashCode() % 100000) + 1, $"Export-CapnpMessage {System.IO.Path.GetFileName(message.Path)}", "Starting");
        _clock.Start();
    }

    /// <summary>The sample is complete (or the input ended): the file is created with the inferred schema and the sample written.</summary>
    private void OpenInferred()
    {
        var pending = _pending!;
        _pending = null;
        var message = RunOrThrow(() => CapnpMappedMessage.Started(_path!, pending), _path);
        Open(message, message.Records!);
        foreach (object? item in pending.Held)
        {
            if (Stopping) return;
            AppendRecord(item);
        }
    }

    protected override void ProcessRecord()
    {
        if (_pending is not null)
        {
            foreach (object? item in Inputs())
            {
                if (_pending is not null)
                {
                    if (_pending.Hold(item)) OpenInferred();
                }
                else AppendRecord(item);
            }
            return;
        }
        if (_appender is null) return; // -WhatIf, or declined
        // Bound by name (-InputObject $list) rather than piped: write each element, as the user meant.
        if (!MyInvocation.ExpectingInput && InputObject?.BaseObject is IList list and not IDictionary and not byte[])
        {
            foreach (object? item in list)
            {
                if (Stopping) return;
                AppendRecord(item);
            }
            return;
        }
        AppendRecord(InputObject);
    }

    /// <summary>The inputs of this call: the elements of a list bound by name, else the one piped object.</summary>
    private IEnumerable<object?> Inputs()
    {
        if (!MyInvocation.ExpectingInput && InputObject?.BaseObject is IList list and not IDictionary and not byte[])
        {
            foreach (object? item in list) yield return item;
        }
        else yield return InputObject;
    }

    private void AppendRecord(object? input)
    {
        var error = RunOrThrow(() => _appender!.Append(input), _message!.Path);
        if (error is not null) WriteError(error);
        WarnUnseen(_message!);
        long count = _appender!.InputCount;
        if (count - _lastProgressRecords >= ProgressEveryRecords || (count & 1023) == 0 && _clock.Elapsed - _lastProgress >= ProgressInterval)
            ReportProgress();
    }

    private void ReportProgress()
    {
        // Checkpoint (without flushing) at the progress cadence: if the file fails later (disk full, size
        // limit, truncated) or the process is killed, it keeps the records up to here, not just the root.
        RunOrThrow(() => _message!.Checkpoint(flush: false), _message!.Path);
        _lastProgress = _clock.Elapsed;
        _lastProgressRecords = _appender!.InputCount;
        double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        _progress!.StatusDescription = $"{_appender.Written:N0} records ({_appender.Rejected:N0} rejected), {_message!.UsedBytes:N0} bytes, {_appender.Written / seconds:N0} records/s";
        WriteProgress(_progress);
    }

    protected override void EndProcessing()
    {
        if (_pending is not null) OpenInferred();
        if (_message is null || _appender is null) return;
        _progress!.StatusDescription = $"Completing {_appender.Written:N0} records";
        WriteProgress(_progress);
        var summary = RunOrThrow(() => _message.Complete(flush: !NoFlush), _message.Path);
        _progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(_progress);
        WriteVerbose($"Exported {summary.RecordCount:N0} records ({_appender.Rejected:N0} rejected) to '{summary.Path}': {summary.Bytes:N0} bytes, {summary.SegmentCount} segment(s), {summary.FaultCount:N0} faults.");
        if (PassThru) WriteObject(summary.File);
    }

    /// <summary>Not completed (Ctrl+C, an upstream error): dispose keeps every record written as a checkpoint.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                _message?.Dispose();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // The file keeps its last checkpoint; Repair-CapnpMappedMessage restores it.
            }
        }
        base.Dispose(disposing);
    }
}
