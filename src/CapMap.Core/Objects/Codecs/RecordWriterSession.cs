using CapMap.Messages;
using CapMap.Schema;

namespace CapMap.Objects.Codecs;

/// <summary>
/// A message written from objects one at a time, whether its schema is known (the file exists) or still to be
/// inferred from the first records (<see cref="PendingMessage"/>: the file is created once the sample is full).
/// Callers pass records through a <see cref="RecordFeed"/> and end with <see cref="Complete"/> or
/// <see cref="Dispose"/>; they never ask which kind of message it is. Whatever ends the message (completion, a
/// checkpoint, disposal) first ends a sample still held: the schema is inferred from it, the file created and the
/// held records written, in input order, so records given are never lost because the input stopped early.
/// Not thread-safe.
/// </summary>
public sealed class RecordWriterSession : IDisposable
{
    private PendingMessage? _pending;
    private RecordFeed? _holder;

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
        holder?.WriteHeld(pending.Held);
    }

    /// <summary>A checkpoint of everything written so far (a held sample is written first).</summary>
    /// <exception cref="InvalidOperationException">Creating the file failed.</exception>
    public CheckpointRecord Checkpoint(bool flush)
    {
        Start();
        return FileWriter.Builder.Checkpoint(flush);
    }

    /// <summary>Finishes the message (a held sample is written first); the file is closed afterwards.</summary>
    /// <exception cref="InvalidOperationException">Creating the file failed.</exception>
    public MessageSummary Complete(bool flush = true)
    {
        Start();
        return FileWriter.Complete(flush);
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
            Writer?.Dispose();
        }
    }

    private ObjectMessageWriter FileWriter => Writer ?? throw new InvalidOperationException("The message has no file: creating it failed.");
}
