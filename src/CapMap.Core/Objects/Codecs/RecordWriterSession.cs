using CapMap.Messages;
using CapMap.Schema;
using CapMap.Schema.Inference;

namespace CapMap.Objects.Codecs;

/// <summary>
/// A message written from objects one at a time, whether its schema is known (the file exists) or still to be
/// inferred from the first records (<see cref="PendingMessage"/>: the file is created once the sample is full).
/// Callers pass records through a <see cref="RecordFeed"/> and end with <see cref="Complete"/> or
/// <see cref="Dispose"/>; they never ask which kind of message it is. Whatever ends the message (completion, a
/// checkpoint, disposal) first ends a sample still held: the schema is inferred from it, the file created and the
/// held records written, in input order, so records given are never lost because the input stopped early.
/// </summary>
/// <remarks>
/// <para>The schema can change within the file. After an inferred schema's sample, a record that does not fit it (a
/// property it lacks, a value of another type, a value where the sample had only nulls) widens the inferrer's
/// shapes (<see cref="Widen"/>): the current message is completed and writing goes on in a next message of the same
/// file that carries the widened schema (<see cref="ObjectMessageWriter.ContinueUnderSchema"/>), so no record is
/// rejected for its shape. Each change is noted for the caller (<see cref="TakeSchemaChanges"/>).</para>
/// <para>An appended message (<see cref="MappedMessageOptions.Append"/>) in which no record was kept because every
/// record given was rejected is withdrawn when the session ends: the file is left as it was, with no empty message.</para>
/// <para>Not thread-safe.</para>
/// </remarks>
public sealed class RecordWriterSession : IDisposable
{
    private PendingMessage? _pending;
    private RecordFeed? _holder;
    private SchemaInferrer? _inferrer;
    private object? _rootProperties;
    private bool _strict;
    private List<SchemaChange>? _changes;
    private long _written;
    private long _rejected;

    /// <summary>A message whose schema is inferred from its first records; no file exists yet.</summary>
    public RecordWriterSession(PendingMessage pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        _pending = pending;
        RootType = pending.RootType;
    }

    /// <summary>A message created with its schema (explicit, or carried by the file appended to).</summary>
    public RecordWriterSession(ObjectMessageWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Writer = writer;
        RootType = writer.RootSchema.NestedName;
    }

    /// <summary>True while records are held as the sample of a schema still to be inferred (no file yet).</summary>
    public bool AwaitsSchema => _pending is not null;

    /// <summary>The writer, once the file exists; null while the schema awaits its sample, or after creating the file failed.</summary>
    public ObjectMessageWriter? Writer { get; private set; }

    /// <summary>The schema inferred from the sample, once the file exists; null for a message created with its schema.</summary>
    public ResolvedSchema? InferredSchema { get; private set; }

    /// <summary>The root struct's name (the inferred root's name before the file exists).</summary>
    public string RootType { get; }

    /// <summary>A feed of records into the target <paramref name="target"/> picks once the file exists (its first written record).</summary>
    /// <param name="target">Picks the list (or struct) records go to, given the writer; called once.</param>
    /// <param name="strict">Reject properties the struct does not have.</param>
    public RecordFeed Feed(Func<ObjectMessageWriter, FieldPath> target, bool strict) => new(this, target, strict);

    /// <summary>Holds <paramref name="record"/> for the sample, given by <paramref name="feed"/>; true once the sample is full.</summary>
    internal bool Hold(RecordFeed feed, object? record)
    {
        _holder = feed; // the held records are written through the feed that gave the last of them
        return _pending!.Hold(record);
    }

    /// <summary>True if <paramref name="feed"/> gave the records the sample holds.</summary>
    internal bool IsHolder(RecordFeed feed) => ReferenceEquals(_holder, feed);

    /// <summary>
    /// Ends the sample, if one is held or awaited: infers the schema (no records: a record of no fields), creates
    /// the file carrying it, and writes the held records through the feed that gave them. Nothing for a message
    /// that has its file.
    /// </summary>
    /// <exception cref="RootPropertiesException">A root value does not convert (no file was created; the message cannot be written).</exception>
    public void Start()
    {
        if (_pending is not { } pending) return;
        _pending = null; // once: a failed creation is not tried again with the same values
        var holder = _holder;
        _holder = null;
        pending.Start();
        Writer = pending.Writer;
        InferredSchema = pending.Schema;
        (_inferrer, _rootProperties, _strict) = (pending.Inferrer, pending.RootProperties, pending.Strict);
        if (pending.AppendedSchemaChange is { } change) Note(change);
        holder?.WriteHeld(pending.Held, pending.HeldDescribed);
    }

    /// <summary>
    /// Whether <paramref name="record"/>, which did not fit the schema of <paramref name="target"/>, went on in a
    /// next message: for the records list of a schema inferred from records, its shapes are widened by the record
    /// and, if that gives another schema, the message is completed and the next one carries the widened schema.
    /// False (nothing changed) for a schema given by the caller or the file, another target, or a record the
    /// widened schema is the same for (it does not fit for another reason): the caller rejects it then.
    /// </summary>
    /// <exception cref="RootPropertiesException">A root value does not convert into the new root (nothing changed).</exception>
    internal bool Widen(object? record, FieldPath target, long index, Exception misfit)
    {
        if (_inferrer is null || Writer is not { Records: { } records } writer || records.Path != target.Path) return false;
        _inferrer.Widen(record);
        var widened = _inferrer.Build();
        if (widened.FileId == InferredSchema?.Inferred?.FileId) return false;
        var schema = ResolvedSchema.FromInferred(widened);
        writer.ContinueUnderSchema(schema, schema.Root!, _rootProperties, _strict);
        InferredSchema = schema;
        Note(new SchemaChange(index, misfit.Message.TrimEnd('.')));
        return true;
    }

    /// <summary>The schema changes since the last call (an empty list when there were none).</summary>
    public IReadOnlyList<SchemaChange> TakeSchemaChanges()
    {
        if (_changes is not { Count: > 0 } changes) return [];
        _changes = null;
        return changes;
    }

    private void Note(SchemaChange change) => (_changes ??= new()).Add(change);

    /// <summary>Counts a record a feed wrote (<paramref name="written"/>) or rejected, for the withdrawal of an append that kept none.</summary>
    internal void Count(bool written)
    {
        if (written) _written++;
        else _rejected++;
    }

    /// <summary>An appended message that kept no record while records were rejected: the append was refused as a whole.</summary>
    private bool KeptNothing => _written == 0 && _rejected > 0 && Writer?.Builder is { CanWithdraw: true, MessagesWritten: 1 };

    /// <summary>A checkpoint of everything written so far (a held sample is written first).</summary>
    /// <exception cref="InvalidOperationException">Creating the file failed.</exception>
    public CheckpointRecord Checkpoint(bool flush)
    {
        Start();
        return FileWriter.Builder.Checkpoint(flush);
    }

    /// <summary>
    /// Finishes the message (a held sample is written first); the file is closed afterwards. An appended message
    /// whose every record was rejected is withdrawn instead (<see cref="MappedMessageBuilder.Withdraw"/>): the
    /// summary then counts no message and no record.
    /// </summary>
    /// <exception cref="InvalidOperationException">Creating the file failed.</exception>
    public MessageSummary Complete(bool flush = true)
    {
        Start();
        if (!KeptNothing) return FileWriter.Complete(flush);
        var builder = FileWriter.Builder;
        var summary = new MessageSummary(builder.Path, 0, [], 0, builder.FaultCount, builder.Growth, GapClosing.None, TimeSpan.Zero) { Messages = 0 };
        builder.Withdraw(flush);
        return summary;
    }

    /// <summary>Without <see cref="Complete"/>: writes a held sample, then keeps what was written as a checkpoint.</summary>
    public void Dispose()
    {
        try
        {
            Start();
        }
        finally
        {
            if (KeptNothing) Writer!.Builder.Withdraw();
            Writer?.Dispose();
        }
    }

    private ObjectMessageWriter FileWriter => Writer ?? throw new InvalidOperationException("The message has no file: creating it failed.");
}
