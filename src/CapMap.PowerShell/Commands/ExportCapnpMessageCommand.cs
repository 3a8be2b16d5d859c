using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using CapMap.Objects.Codecs;
using CapMap.PowerShell.Internal;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// One shot, like Export-Csv: writes the pipeline's objects into a new message file (appended to the root's
/// List(Struct) field) and completes it. Records that cannot be converted are reported and skipped. Core's
/// <see cref="RecordWriterSession"/> holds the sample while the schema is inferred; this cmdlet only passes objects.
/// A pipeline that ends early (an upstream error, Ctrl+C) keeps what came, as Export-Csv keeps its rows: the
/// records received so far, a sample never written included, are written and the message completed on disposal.
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
        var fileSchema = InfersSchema ? AppendedToSchema(path) : null;
        if (fileSchema is { Inferred: null } carried)
        {
            // A schema a user wrote, carried by the file: the objects go in under it, as with -Schema.
            var userSchema = CapnpSchema.FromCarried(carried, path);
            var recordsTarget = ResolveField(carried.Root, Field, rootIfNoList: false)!;
            if (!ShouldProcess(path, $"Append objects to the file's messages ({carried.Root.NestedName}.{recordsTarget.Path})")) return;
            var appended = CreateMessage(path, userSchema, carried.Root);
            Open(appended, writer => writer.Records ?? recordsTarget);
            return;
        }
        if (InfersSchema)
        {
            if (!ShouldProcess(path, "Export objects to a Cap'n Proto message (schema inferred from the objects)")) return;
            Open(CreateInferredMessage(path, Field, fileSchema), writer => writer.Records!);
            return;
        }
        var (schema, root) = ResolveSchemaAndRoot();
        var target = ResolveField(root, Field, rootIfNoList: false)!;
        CheckAppendedRoot(path, root);
        if (!ShouldProcess(path, $"Export objects to a Cap'n Proto message ({root.NestedName}.{target.Path})")) return;
        Open(CreateMessage(path, schema, root), _ => target);
    }

    /// <summary>Records go to the field <paramref name="target"/> picks once the file exists (after the sample, without -Schema).</summary>
    private void Open(CapnpMappedMessage message, Func<CapMap.Objects.ObjectMessageWriter, CapMap.Objects.FieldPath> target)
    {
        _message = message;
        _appender = new RecordAppender(_message, target, Strict);
        _progress = new ProgressRecord(Math.Abs(message.Path.GetHashCode() % 100000) + 1, $"Export-CapnpMessage {System.IO.Path.GetFileName(message.Path)}", "Starting");
        _clock.Start();
    }

    protected override void ProcessRecord()
    {
        if (_appender is null) return; // -WhatIf, or declined
        foreach (object? item in Inputs())
        {
            if (Stopping) return;
            AppendRecord(item);
        }
    }

    /// <summary>The inputs of this call: the elements of a list bound by name (-InputObject $list: each element, as the user meant), else the one piped object.</summary>
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
        WriteErrors(RunOrThrow(() => _appender!.Append(input), _message!.Path));
        if (_message.AwaitsSchema) return; // the sample is held: no file to checkpoint yet
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

    /// <summary>Reports the records Core rejected, then the messages it began under a changed schema.</summary>
    private void WriteErrors(IReadOnlyList<ErrorRecord> errors)
    {
        foreach (var error in errors) WriteError(error);
        ReportSchemaChanges(_message!);
    }

    protected override void EndProcessing()
    {
        if (_message is null || _appender is null) return;
        WriteErrors(RunOrThrow(() => _appender.End(), _message.Path));
        WarnWrittenAsText(_message); // every record is written now: one warning per path, with its count
        _progress!.StatusDescription = $"Completing {_appender.Written:N0} records";
        WriteProgress(_progress);
        var summary = RunOrThrow(() => _message.Complete(flush: !NoFlush), _message.Path);
        _progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(_progress);
        WriteVerbose($"Exported {summary.RecordCount:N0} records ({_appender.Rejected:N0} rejected) to '{summary.Path}': {summary.Bytes:N0} bytes, {summary.SegmentCount} segment(s), {summary.FaultCount:N0} faults.");
        if (PassThru) WriteObject(summary.File);
    }

    /// <summary>
    /// Not completed (Ctrl+C, an upstream error, a terminating error of this cmdlet): the records received so far
    /// are kept as a whole file, as Export-Csv keeps its rows. A sample still held is written, and the message is
    /// completed, so it reads back as exactly those records with no warning, at its data's size. Rejections found
    /// now cannot be reported (the pipeline is gone). If the file failed (disk full, size limit), completing is
    /// refused and disposing restores the last checkpoint; Repair-CapnpMappedMessage handles the rest.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _message is { } message)
        {
            try
            {
                if (message.State == CapnpMessageState.Open)
                {
                    _appender?.End();
                    message.Complete(flush: !NoFlush);
                }
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or CapMapErrorException or UnauthorizedAccessException)
            {
                // Not completed: disposing below writes a final checkpoint, or restores the last one after a failure.
            }
            finally
            {
                DisposeQuietly(message);
            }
        }
        base.Dispose(disposing);
    }

    private static void DisposeQuietly(CapnpMappedMessage message)
    {
        try
        {
            message.Dispose(); // nothing after Complete; else a final checkpoint
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or CapMapErrorException)
        {
            // The file keeps its last checkpoint; Repair-CapnpMappedMessage restores it.
        }
    }
}
