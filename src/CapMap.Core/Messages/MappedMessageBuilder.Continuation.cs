using CapMap.Wire;

namespace CapMap.Messages;

// Continuation: a full streaming list goes on in the next message of the same file.

public sealed unsafe partial class MappedMessageBuilder
{
    /// <summary>Records of the earlier messages of the file this writer went on from (see <see cref="AppendedCount"/>).</summary>
    private long _earlierRecords;

    /// <summary>Messages this writer completed before this one (see <see cref="MessagesWritten"/>).</summary>
    private int _earlierMessages;

    /// <summary>
    /// Completes this message and goes on in the next message of the same file, for a streaming list that is
    /// <see cref="StreamingStructListBuilder.IsFull"/> (a list cannot outgrow one segment, about 4 GiB): the
    /// standard answer to that limit is a stream of messages, which every Cap'n Proto reader reads in order.
    /// </summary>
    /// <remarks>
    /// <para>The next message gets a deep copy of this one's root (data section and every object it reaches)
    /// except the streaming lists: the list that is open starts again, empty, in the copy of its parent; lists
    /// completed earlier are null there (their records stay in the earlier message, and are not repeated).
    /// A copy, rather than a caller's initializer run again, because it needs nothing from the caller and
    /// sets the root exactly as it was, including fields set while the list was streaming.</para>
    /// <para>This builder is finished afterwards (as after <see cref="Complete"/>) and the returned one owns the
    /// file and its lock, which are never released in between. The new message is opened as
    /// <see cref="MappedMessageOptions.Append"/> opens one: it starts where this one ends and is checkpointed
    /// at once, so a kill at any instant leaves the completed message byte for byte, and the new one is
    /// repaired to its last checkpoint.</para>
    /// </remarks>
    /// <param name="flush">Whether completing this message msyncs it (see <see cref="Complete"/>).</param>
    /// <param name="carry">
    /// Builders of structs of this message the caller keeps (reached from the root, not inside a streaming
    /// list): <see cref="MessageContinuation.Carried"/> gives their copies in the same order.
    /// </param>
    public MessageContinuation ContinueInNextMessage(bool flush = true, IReadOnlyList<StructBuilder>? carry = null)
    {
        ThrowIfUnusable();
        var open = _lists.LastOrDefault(list => !list.IsCompleted);
        // Places as segment and offset, taken before Complete moves segments (closing gaps).
        var carriedPlaces = (carry ?? []).Select(s => (s.SegmentId, s.WordOffset)).ToArray();
        var (completed, next) = CompleteAndOpenNext(flush, Options);
        try
        {
            var copy = ObjectCopier.CopyRoot(Message, next.Message, _lists.Select(list => (nint)list.SlotAddress));
            StreamingStructListBuilder? reopened = null;
            if (open is not null)
            {
                var (segment, slot) = copy.SkippedSlots[(nint)open.SlotAddress];
                reopened = next.Track(new StreamingStructListBuilder(next.Message, segment, (ulong*)slot, open.DataWordCount, open.PointerCount));
            }
            CrashPoints.Reach("continue: root copied");
            next.Checkpoint(flush: true);
            CrashPoints.Reach("continue: next message checkpointed");
            var carried = carriedPlaces.Select(place => copy.Structs.GetValueOrDefault(place)).ToArray();
            return new MessageContinuation(completed, next, copy.Root, reopened, carried);
        }
        catch
        {
            next.Abandon();
            throw;
        }
    }

    /// <summary>
    /// Completes this message and goes on in the next message of the same file under another schema: the
    /// schema of the records changed (a record did not fit the schema inferred so far), and every message
    /// carries its own, so the next one carries <paramref name="schema"/> and is read through it. Its root is
    /// not a copy (the old root's layout is not the new one's): <paramref name="setRoot"/> initialises it in
    /// the new builder (root struct, values given at creation) before the first checkpoint publishes it.
    /// </summary>
    /// <remarks>
    /// Crash safety is <see cref="ContinueInNextMessage(bool, IReadOnlyList{StructBuilder}?)"/>'s: the file and
    /// its lock stay with the new builder, the completed message is never written again, and until the new
    /// message's first checkpoint its table is zeros, so a kill at any instant leaves the completed messages
    /// byte for byte and the new one at its last checkpoint. If <paramref name="setRoot"/> throws, the new
    /// message is cut off again and the file closed, ending with the completed message.
    /// </remarks>
    /// <param name="schema">The schema the next message carries (its root is the message's root).</param>
    /// <param name="setRoot">Sets the next message's root; called once, before its first checkpoint.</param>
    /// <param name="flush">Whether completing this message, and the next one's first checkpoint, msync them (see <see cref="Complete"/>).</param>
    /// <returns>The builder of the next message: use it (not this one) from here on; it owns the file.</returns>
    public MappedMessageBuilder ContinueUnderSchema(EmbeddedSchema schema, Action<MappedMessageBuilder> setRoot, bool flush = true)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(setRoot);
        ThrowIfUnusable();
        var (_, next) = CompleteAndOpenNext(flush, Options with { Schema = schema });
        try
        {
            setRoot(next);
            CrashPoints.Reach("continue: root set");
            // Flushed only when the completion is: the promise is the kill's (the page cache keeps every store), and a
            // writer whose records change shape often (each change a message) paid an msync and an fsync per change.
            next.Checkpoint(flush);
            CrashPoints.Reach("continue: next message checkpointed");
            return next;
        }
        catch
        {
            next.Abandon();
            throw;
        }
    }

    /// <summary>
    /// Completes this message and opens the next one after it, in the same file, with <paramref name="options"/>
    /// (the schema it carries is embedded at once); the caller sets its root and checkpoints it.
    /// </summary>
    private (MessageSummary Completed, MappedMessageBuilder Next) CompleteAndOpenNext(bool flush, MappedMessageOptions options)
    {
        var completed = CompleteMessage(flush);
        MappedMessageBuilder next;
        try
        {
            next = new MappedMessageBuilder(_file, options, LastCheckpoint!.EndOffset)
            {
                _earlierRecords = AppendedCount,
                _earlierMessages = MessagesWritten,
            };
        }
        catch
        {
            _file.Dispose(); // this message is complete; nobody else owns the file now
            throw;
        }
        // Until the next message's first checkpoint its table is zeros, which repair and every reader take
        // for slack after the completed message: a kill in between leaves exactly that message.
        CrashPoints.Reach("continue: next message opened");
        return (completed, next);
    }

    /// <summary>
    /// A next message that could not be set up (before its first checkpoint): the file is cut back to where it
    /// starts, so it ends with the completed messages, and closed. A checkpoint here would publish a half-copied root.
    /// </summary>
    private void Abandon()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (!_file.IsFailed && LastCheckpoint is null) _file.SetLength(_messageOffset);
        }
        finally
        {
            _file.Dispose();
        }
    }
}
