using System.Management.Automation;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.Objects.Codecs;
using CapMap.PowerShell.Internal;
using CapMap.Schema;
using CapMap.Schema.Inference;

namespace CapMap.PowerShell;

/// <summary>
/// A message being built in a growing mapped file, as New-CapnpMappedMessage returns it: the pipeline's face of
/// Core's <see cref="RecordWriterSession"/>, which does the work (holding a sample while the schema is inferred
/// included); this wrapper adds the schema object, the state PowerShell shows, and the ErrorIds of Core's exceptions. Dispose it (or complete it) when done: disposing
/// without completing keeps every record added so far as a checkpoint, so nothing is lost.
/// Not thread-safe: use it from one pipeline at a time.
/// </summary>
public sealed class CapnpMappedMessage : IDisposable
{
    private readonly RecordWriterSession _session;
    private readonly string _path;
    private readonly object? _rootProperties;
    private CapnpSchema? _schema;
    private ResolvedSchema? _schemaFrom;
    private CapnpMessageSummary? _summary;
    private bool _closed;

    private CapnpMappedMessage(string path, RecordWriterSession session, CapnpSchema? schema, object? rootProperties)
    {
        _path = path;
        _session = session;
        _schema = schema;
        _rootProperties = rootProperties;
    }

    private ObjectMessageWriter? Writer => _session.Writer;

    /// <summary>The list records go to when Add-CapnpStruct names none, if the schema says (an inferred one does); else null.</summary>
    internal FieldPath? Records => Writer?.Records;

    /// <summary>The messages begun under another schema since the last call (the records' shape changed), for verbose output.</summary>
    internal IReadOnlyList<SchemaChange> TakeSchemaChanges() => _session.TakeSchemaChanges();

    /// <summary>Paths where values with properties were written as text (nesting cut at -Depth), each handed out once.</summary>
    internal IReadOnlyList<TextPath> TakeValuesWrittenAsText() => Writer?.Codec.Model.ValuesWrittenAsText?.Take() ?? [];

    /// <summary>
    /// A message whose schema Core infers from its first records (New-CapnpMappedMessage and Export-CapnpMessage
    /// without -Schema): the file is created once the sample is full, the input ends, or the message is completed,
    /// saved or disposed.
    /// </summary>
    internal static CapnpMappedMessage CreateInferred(string path, PendingMessage pending)
    {
        var message = new CapnpMappedMessage(path, new RecordWriterSession(pending), schema: null, pending.RootProperties);
        OpenMessages.Add(message); // for Get-CapnpMappedMessage
        return message;
    }

    /// <summary>True until the first Add-CapnpStruct has fixed the inferred schema and created the file.</summary>
    public bool AwaitsSchema => _session.AwaitsSchema;

    /// <summary>A feed of records into the target <paramref name="target"/> picks once the file exists (Core holds the sample until then).</summary>
    internal RecordFeed Feed(Func<ObjectMessageWriter, FieldPath> target, bool strict) => _session.Feed(target, strict);

    /// <summary>
    /// Runs Core's writing of records, with its exceptions as ErrorIds: a root value that does not convert (when the
    /// file is created after the sample), a completed list, a moved struct.
    /// </summary>
    /// <exception cref="CapMapErrorException">PropertyConversionFailed, ListAlreadyCompleted, FieldOrderNotSupported.</exception>
    internal T Run<T>(Func<T> write, FieldPath? target = null) => Translate(write, _rootProperties, target);

    private static T Translate<T>(Func<T> write, object? rootProperties, FieldPath? target)
    {
        try
        {
            return write();
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
        catch (ListAlreadyCompletedException e)
        {
            throw new CapMapErrorException(ErrorIds.ListAlreadyCompleted, ErrorCategory.InvalidOperation, e.Message, target?.Path, e);
        }
        catch (MovedStructException e)
        {
            throw new CapMapErrorException(ErrorIds.FieldOrderNotSupported, ErrorCategory.InvalidOperation, e.Message, target?.Path, e);
        }
    }

    private MappedMessageBuilder Builder => (Writer ?? throw new InvalidOperationException("The message has no file yet.")).Builder;

    /// <summary>
    /// Creates the file and the root struct, and writes <paramref name="rootProperties"/> (if any) into the root.
    /// The properties are checked before the file is created, so bad values never leave a file behind.
    /// </summary>
    /// <exception cref="CapMapErrorException">PropertyConversionFailed.</exception>
    internal static CapnpMappedMessage Create(string path, CapnpSchema schema, StructSchema rootSchema,
        MappedMessageOptions options, object? rootProperties, bool strict)
    {
        var writer = Translate(() => ObjectMessageWriter.Create(path, options, schema.Resolved, rootSchema, rootProperties, PowerShellObjects.Model, strict),
            rootProperties, target: null);
        var message = new CapnpMappedMessage(writer.Builder.Path, new RecordWriterSession(writer), schema, rootProperties);
        OpenMessages.Add(message); // for Get-CapnpMappedMessage
        return message;
    }

    /// <summary>The full path of the message file.</summary>
    public string Path => _path;

    /// <summary>The schema the message is written with (null while it awaits an inferred one); the current message's, after the records' shape changed.</summary>
    public CapnpSchema Schema
    {
        get
        {
            if (_session.InferredSchema is { } inferred && !ReferenceEquals(_schemaFrom, inferred))
            {
                _schema = CapnpSchema.FromInferred(inferred, _path);
                _schemaFrom = inferred;
            }
            return _schema!;
        }
    }

    /// <summary>The root struct's schema.</summary>
    public StructSchema RootSchema => Writer?.RootSchema!;

    /// <summary>The root struct's name, e.g. <c>Batch</c>.</summary>
    public string RootType => _session.RootType;

    /// <summary>Open, completed, closed (disposed) or failed.</summary>
    public CapnpMessageState State =>
        _summary is not null ? CapnpMessageState.Completed
        : _closed ? CapnpMessageState.Closed
        : Writer is not null && Builder.IsFailed ? CapnpMessageState.Failed
        : CapnpMessageState.Open;

    /// <summary>Bytes from the start of the file to the last word written.</summary>
    public long UsedBytes => _summary?.Bytes ?? (_closed || Writer is null ? 0 : Builder.UsedBytes);

    /// <summary>Bytes the file has been grown to so far.</summary>
    public long CommittedBytes => _summary?.Bytes ?? (_closed || Writer is null ? 0 : Builder.CommittedBytes);

    /// <summary>Segments of the message so far.</summary>
    public int SegmentCount => _summary?.SegmentCount ?? (Writer is null ? 0 : Builder.SegmentCount);

    /// <summary>SIGBUS faults the growth handler served for this file.</summary>
    public long FaultCount => _summary?.FaultCount ?? (Writer is null ? 0 : Builder.FaultCount);

    /// <summary>Records appended to streaming lists so far.</summary>
    public long RecordCount => _summary?.RecordCount ?? (Writer is null ? 0 : Builder.AppendedCount);

    /// <summary>The field path of the list currently open for appending (null if none).</summary>
    public string? OpenList => Writer?.OpenList;

    /// <summary>The last checkpoint written (Save-CapnpMappedMessage), or null.</summary>
    public CheckpointRecord? LastCheckpoint => Writer?.Builder.LastCheckpoint;

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
    internal void ThrowIfFailed() => Writer?.Builder.ThrowIfFailed();

    /// <summary>Writes a checkpoint: the file becomes a valid message of everything added so far.</summary>
    public CheckpointRecord Checkpoint() => Checkpoint(flush: true);

    /// <summary>A checkpoint; without <paramref name="flush"/> it survives a crash or kill of this process (the page cache keeps it), not a power loss.</summary>
    public CheckpointRecord Checkpoint(bool flush)
    {
        ThrowIfNotOpen();
        return Run(() => _session.Checkpoint(flush));
    }

    /// <summary>Finishes the message (a held sample is written first); the file is closed afterwards.</summary>
    public CapnpMessageSummary Complete(bool flush = true)
    {
        ThrowIfNotOpen();
        _summary = new CapnpMessageSummary(Run(() => _session.Complete(flush)), RootType, DateTime.Now);
        OpenMessages.Remove(this);
        return _summary;
    }

    /// <summary>Without Complete: keeps what was added (final checkpoint). After a failure: restores the last checkpoint.</summary>
    public void Dispose()
    {
        if (_closed || _summary is not null) return;
        try
        {
            Run(() => { _session.Dispose(); return 0; });
        }
        finally
        {
            _closed = true;
            OpenMessages.Remove(this);
        }
    }
}
