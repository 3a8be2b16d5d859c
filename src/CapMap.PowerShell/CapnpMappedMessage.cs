using System.Management.Automation;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.PowerShell.Internal;
using CapMap.Schema;
using CapMap.Schema.Inference;

namespace CapMap.PowerShell;

/// <summary>
/// A message being built in a growing mapped file, as New-CapnpMappedMessage returns it: the pipeline's face of
/// Core's <see cref="ObjectMessageWriter"/>, which does the work; this wrapper adds the schema object, the state
/// PowerShell shows, and the ErrorIds of Core's exceptions. Dispose it (or complete it) when done: disposing
/// without completing keeps every record added so far as a checkpoint, so nothing is lost.
/// Not thread-safe: use it from one pipeline at a time.
/// </summary>
public sealed class CapnpMappedMessage : IDisposable
{
    private ObjectMessageWriter? _writer;
    private PendingInference? _pending;
    private readonly string _path;
    private CapnpMessageSummary? _summary;
    private bool _closed;

    private CapnpMappedMessage(ObjectMessageWriter writer, CapnpSchema schema)
    {
        _path = writer.Builder.Path;
        Attach(writer, schema);
    }

    private CapnpMappedMessage(string path, PendingInference pending)
    {
        _path = path;
        _pending = pending;
        Schema = null!;
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(Schema))]
    private void Attach(ObjectMessageWriter writer, CapnpSchema schema)
    {
        _writer = writer;
        Schema = schema;
        if (schema.Inferred is { } inferred)
        {
            Codec = new InferredRecordCodec(inferred, PSObjectAdapter.Instance);
            UnseenWarnings = new UnseenWarnings(Codec.Unseen);
            RecordsPath = FieldPath.Resolve(writer.RootSchema, inferred.Root.Fields[0].Identifier, rootIfNoList: false);
        }
    }

    /// <summary>Converts records by the inferred schema (original names and .NET types); null for a schema a user wrote.</summary>
    internal InferredRecordCodec? Codec { get; private set; }

    /// <summary>Properties the inferred schema lacks, handed out once each (for one warning per property).</summary>
    internal UnseenWarnings? UnseenWarnings { get; private set; }

    /// <summary>The list of records of an inferred schema.</summary>
    internal FieldPath? RecordsPath { get; private set; }

    /// <summary>
    /// A message without a schema yet (New-CapnpMappedMessage without -Schema): the file is created, with a schema
    /// inferred from the records the first Add-CapnpStruct holds back, by <see cref="StartInferred"/>.
    /// </summary>
    internal static CapnpMappedMessage CreatePending(string path, PendingInference pending)
    {
        var message = new CapnpMappedMessage(path, pending);
        OpenMessages.Add(message);
        return message;
    }

    /// <summary>True until the first Add-CapnpStruct has fixed the inferred schema and created the file.</summary>
    public bool AwaitsSchema => _pending is not null;

    /// <summary>Holds a record back for the sample; true once the sample is full (time for <see cref="StartInferred"/>).</summary>
    internal bool Hold(object? record)
    {
        _pending!.Sample.Add(record);
        return _pending.Sample.Inferrer.IsFull;
    }

    /// <summary>Infers the schema from the held records and creates the file; returns the held records, to be written now.</summary>
    internal IReadOnlyList<object?> StartInferred()
    {
        var pending = _pending ?? throw new InvalidOperationException("The message has its schema already.");
        var (writer, schema) = pending.Create(pending.Sample.Inferrer.Build());
        Attach(writer, schema);
        _pending = null;
        return pending.Sample.Records;
    }

    /// <summary>Used before any record: the file is created with the schema of no records.</summary>
    private void StartIfPending()
    {
        if (_pending is not null) StartInferred();
    }

    /// <summary>Opens the writer for a new file, with Core's root-property errors as ErrorIds.</summary>
    /// <exception cref="CapMapErrorException">PropertyConversionFailed.</exception>
    internal static ObjectMessageWriter OpenWriter(string path, StructSchema rootSchema, MappedMessageOptions options, object? rootProperties, bool strict)
    {
        try
        {
            return ObjectMessageWriter.Create(path, options, rootSchema, rootProperties, PSObjectAdapter.Options(strict));
        }
        catch (RootPropertiesException e) when (e.StreamedList is { } list)
        {
            throw new CapMapErrorException(ErrorIds.PropertyConversionFailed, ErrorCategory.InvalidArgument,
                $"-Property sets '{list.Name}', a {list.Type}; add its elements with Add-CapnpStruct -Field {list.Name} instead.", rootProperties, e);
        }
        catch (RootPropertiesException e)
        {
            throw new CapMapErrorException(ErrorIds.PropertyConversionFailed, ErrorCategory.InvalidData,
                $"-Property cannot be written into root type {e.RootType}: {e.ValueError?.Message}", rootProperties, e);
        }
    }

    private MappedMessageBuilder Builder => (_writer ?? throw new InvalidOperationException("The message has no file yet.")).Builder;

    /// <summary>
    /// Creates the file and the root struct, and writes <paramref name="rootProperties"/> (if any) into the root.
    /// The properties are checked before the file is created, so bad values never leave a file behind.
    /// </summary>
    /// <exception cref="CapMapErrorException">PropertyConversionFailed.</exception>
    internal static CapnpMappedMessage Create(string path, CapnpSchema schema, StructSchema rootSchema,
        MappedMessageOptions options, object? rootProperties, bool strict)
    {
        var message = new CapnpMappedMessage(OpenWriter(path, rootSchema, options, rootProperties, strict), schema);
        OpenMessages.Add(message); // for Get-CapnpMappedMessage
        return message;
    }

    /// <summary>The full path of the message file.</summary>
    public string Path => _path;

    /// <summary>The schema the message is written with (null while it awaits an inferred one).</summary>
    public CapnpSchema Schema { get; private set; }

    /// <summary>The root struct's schema.</summary>
    public StructSchema RootSchema => _writer?.RootSchema!;

    /// <summary>The root struct's name, e.g. <c>Batch</c>.</summary>
    public string RootType => _writer?.RootSchema.NestedName ?? _pending!.RootType;

    /// <summary>Open, completed, closed (disposed) or failed.</summary>
    public CapnpMessageState State =>
        _summary is not null ? CapnpMessageState.Completed
        : _closed ? CapnpMessageState.Closed
        : _writer is not null && Builder.IsFailed ? CapnpMessageState.Failed
        : CapnpMessageState.Open;

    /// <summary>Bytes from the start of the file to the last word written.</summary>
    public long UsedBytes => _summary?.Bytes ?? (_closed || _writer is null ? 0 : Builder.UsedBytes);

    /// <summary>Bytes the file has been grown to so far.</summary>
    public long CommittedBytes => _summary?.Bytes ?? (_closed || _writer is null ? 0 : Builder.CommittedBytes);

    /// <summary>Segments of the message so far.</summary>
    public int SegmentCount => _summary?.SegmentCount ?? (_writer is null ? 0 : Builder.SegmentCount);

    /// <summary>SIGBUS faults the growth handler served for this file.</summary>
    public long FaultCount => _summary?.FaultCount ?? (_writer is null ? 0 : Builder.FaultCount);

    /// <summary>Records appended to streaming lists so far.</summary>
    public long RecordCount => _summary?.RecordCount ?? (_writer is null ? 0 : Builder.AppendedCount);

    /// <summary>The field path of the list currently open for appending (null if none).</summary>
    public string? OpenList => _writer?.OpenList;

    /// <summary>The last checkpoint written (Save-CapnpMappedMessage), or null.</summary>
    public CheckpointRecord? LastCheckpoint => _writer?.Builder.LastCheckpoint;

    /// <summary>What Complete-CapnpMappedMessage returned, once completed.</summary>
    public CapnpMessageSummary? Summary => _summary;

    /// <inheritdoc />
    public override string ToString() => $"{RootType} message {Path} ({State})";

    internal void ThrowIfNotOpen()
    {
        switch (State)
        {
            case CapnpMessageState.Completed:
                throw new CapMapErrorException(ErrorIds.MessageClosed, ErrorCategory.InvalidOperation,
                    $"The message '{Path}' is already complete; nothing more can be added.", this);
            case CapnpMessageState.Closed:
                throw new CapMapErrorException(ErrorIds.MessageClosed, ErrorCategory.InvalidOperation,
                    $"The message '{Path}' was disposed; the file holds what was added as a checkpoint. Create a new message to write more.", this);
            case CapnpMessageState.Failed:
                Builder.ThrowIfFailed(); // throws MappedMessageFailedException with the details
                break;
        }
    }

    /// <summary>Throws MappedMessageFailedException if growing the file failed since the last check.</summary>
    internal void ThrowIfFailed() => _writer?.Builder.ThrowIfFailed();

    /// <summary>
    /// Writes one input into <paramref name="target"/>: appends it to the list, or sets the struct. A value that
    /// cannot be converted throws <see cref="CapnpValueException"/> and leaves no element behind.
    /// </summary>
    /// <exception cref="CapMapErrorException">ListAlreadyCompleted, FieldOrderNotSupported.</exception>
    internal void Write(FieldPath target, object input, bool strict)
    {
        try
        {
            if (_writer is null) throw new InvalidOperationException("The message has no file yet.");
            if (Codec is not null && RecordsPath is not null && target.Path == RecordsPath.Path)
                _writer.Append(RecordsPath, element => Codec.Write(element, input));
            else
                _writer.Write(target, input, strict);
        }
        catch (ListAlreadyCompletedException e)
        {
            throw new CapMapErrorException(ErrorIds.ListAlreadyCompleted, ErrorCategory.InvalidOperation, e.Message, target.Path, e);
        }
        catch (MovedStructException e)
        {
            throw new CapMapErrorException(ErrorIds.FieldOrderNotSupported, ErrorCategory.InvalidOperation, e.Message, target.Path, e);
        }
    }

    /// <summary>Writes a checkpoint: the file becomes a valid message of everything added so far.</summary>
    public CheckpointRecord Checkpoint() => Checkpoint(flush: true);

    /// <summary>A checkpoint; without <paramref name="flush"/> it survives a crash or kill of this process (the page cache keeps it), not a power loss.</summary>
    public CheckpointRecord Checkpoint(bool flush)
    {
        ThrowIfNotOpen();
        StartIfPending();
        return Builder.Checkpoint(flush);
    }

    /// <summary>Finishes the message; the file is closed afterwards.</summary>
    public CapnpMessageSummary Complete(bool flush = true)
    {
        ThrowIfNotOpen();
        StartIfPending();
        _summary = new CapnpMessageSummary(_writer!.Complete(flush), RootType, DateTime.Now);
        OpenMessages.Remove(this);
        return _summary;
    }

    /// <summary>Without Complete: keeps what was added (final checkpoint). After a failure: restores the last checkpoint.</summary>
    public void Dispose()
    {
        if (_closed || _summary is not null) return;
        try
        {
            StartIfPending();
            _writer!.Dispose();
        }
        finally
        {
            _closed = true;
            OpenMessages.Remove(this);
        }
    }
}
