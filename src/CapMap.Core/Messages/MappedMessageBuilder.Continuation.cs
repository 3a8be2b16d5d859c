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
        var completed = CompleteMessage(flush);
        MappedMessageBuilder next;
        try
        {
            next = new MappedMessageBuilder(_file, Options, LastCheckpoint!.EndOffset)
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
