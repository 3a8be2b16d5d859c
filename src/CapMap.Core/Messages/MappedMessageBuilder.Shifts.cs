namespace CapMap.Messages;

// Shifts: moves the file system does in one call (collapse-range, insert-range), announced like copies.

public sealed unsafe partial class MappedMessageBuilder
{
    /// <summary>
    /// Sparse lanes: puts a hole of <paramref name="length"/> bytes at <paramref name="offset"/> (the start of the
    /// lanes after a streaming list), so the list can grow without a byte being copied. False when the file system
    /// refuses; the arena then moves the lanes with a copy. Nothing to do when no byte of those lanes is in the file yet.
    /// </summary>
    private bool TryInsertHoleJournaled(long offset, long length)
    {
        long fileBytes = new FileInfo(Path).Length;
        if (fileBytes <= offset) return true;
        return TryShiftJournaled(PendingMove.Insert(offset, length, fileBytes), _file.TryInsertRange);
    }

    /// <summary>A shift happened with no checkpoint to announce it in and is not known to be on disk (see <see cref="PublishHeader"/>).</summary>
    private bool _shiftNotDurable;

    /// <summary>
    /// Runs a move the file system does in one system call (<paramref name="shift"/>: collapse-range or insert-range)
    /// so the last checkpoint survives a kill or a power cut at any instant: the move is announced in a record of the
    /// old layout, whose data and header are on disk first; repair tells by the file's length whether the call
    /// happened. The shifted file is fsynced before the checkpoint is re-published at the new place, and that record
    /// is on disk before anything changes the length again. False (and the announcement withdrawn) when the file
    /// system refused; the layout is then unchanged.
    /// </summary>
    /// <param name="move">The announced move.</param>
    /// <param name="shift">The system call that does it.</param>
    /// <param name="step">The crash points' name for it (default: "collapse" or "insert").</param>
    /// <param name="afterShift">Runs once the file has shifted, before the new layout is published (the arena's bookkeeping).</param>
    /// <param name="layoutAfter">
    /// The layout to publish, from the last checkpoint's (default: everything from the offset on moved); its patches may change
    /// words the announced layout reads, so its record reaches the disk before they are written.
    /// </param>
    private bool TryShiftJournaled(PendingMove move, Func<long, long, bool> shift, string? step = null, Action? afterShift = null,
        Func<CheckpointRecord, CheckpointRecord>? layoutAfter = null)
    {
        var last = LastCheckpoint;
        step ??= move.Kind == PendingMoveKind.Collapse ? "collapse" : "insert";
        if (last is not null)
        {
            FlushBeforeAnnouncing();
            MessageHeader.WriteRecord(_arena.Base, last with { Sequence = ++_sequence, Pending = move });
            FlushHeader();
        }
        CrashPoints.Reach(step + " announced");
        if (!shift(move.Offset, move.Length))
        {
            if (last is null) return false;
            // Withdraw the announcement: the layout is unchanged.
            LastCheckpoint = last with { Sequence = ++_sequence };
            MessageHeader.WriteRecord(_arena.Base, LastCheckpoint);
            return false;
        }
        // The shift (a change of the file's extents and size) is on disk before any record that depends on it. With no
        // checkpoint yet, no record does: the first one makes it durable before it is written (PublishHeader), so a
        // list that fills its rooms before its first checkpoint (or without any) pays one fsync, not one per insert.
        if (last is not null) _file.Flush(_messageOffset, 0, fsync: true);
        else _shiftNotDurable = true;
        CrashPoints.Reach(step + " done");
        afterShift?.Invoke();
        if (last is null) return true;
        if (layoutAfter is null) PublishLayout(last.Shifted(move.ShiftFrom, move.Shift));
        else PublishDurableRecordFirst(layoutAfter(last));
        // The new layout is on disk before the file's length changes again (the list grows on, Complete cuts): a
        // power cut must never pair the announcement, which names the length before and after the shift, with a
        // third length, which repair would take for someone else's change.
        FlushHeader();
        return true;
    }

    /// <summary>
    /// Publishes <paramref name="layout"/> whose patches change words of the file (a re-aimed landing pad): the record
    /// reaches the disk before any of them is written, because the page that holds such a word may reach the disk
    /// before the header page does, and next to the record before it, the changed word would point astray. A kill
    /// between the two leaves the record, whose patches repair applies.
    /// </summary>
    private void PublishDurableRecordFirst(CheckpointRecord layout)
    {
        var record = layout with { Sequence = ++_sequence };
        MessageHeader.WriteRecord(_arena.Base, record);
        FlushHeader();
        MessageHeader.Write(_arena.Base, record);
        LastCheckpoint = record;
    }
}
