namespace CapMap.Messages;

// Journaled moves: copying a block of the file so that the last checkpoint survives a kill at any instant.

public sealed unsafe partial class MappedMessageBuilder
{
    /// <summary>
    /// Copies a block of the file (the segments after a streaming list, or a tail at finish) so that the
    /// last checkpoint survives a kill at any instant: the copy is announced in a record of the old layout,
    /// runs chunk by chunk with its progress in the header (<see cref="JournaledMove"/>), and only then is
    /// the checkpoint re-published at the new place. The destination must be allocated already.
    /// </summary>
    private void MoveBlockJournaled(PendingMove move)
    {
        var last = LastCheckpoint;
        if (last is not null)
        {
            FlushBeforeAnnouncing();
            // Its own flush: a torn header page must never pair the new announcement with the last move's count.
            JournaledMove.ResetProgress(_arena.Base, _messageOffset);
            FlushHeader();
            MessageHeader.WriteRecord(_arena.Base, last with { Sequence = ++_sequence, Pending = move });
            FlushHeader();
        }
        else
        {
            JournaledMove.ResetProgress(_arena.Base, _messageOffset);
        }
        CrashPoints.Reach("copy announced");
        JournaledMove.Run(_file, _messageOffset, move, stop: () => _file.IsFailed);
        // A write that failed (EIO, or truncation by someone else) went to a throwaway page: the journal
        // stays, and repair finishes the copy from the intact source.
        ThrowIfFailed();
        if (last is not null) PublishLayout(last.Shifted(move.ShiftFrom, move.Shift));
        CrashPoints.Reach("copy published");
    }

    /// <summary>
    /// Before a move is announced: the data the last checkpoint names, and the header that names it, reach the disk
    /// (msync + fdatasync). A move overwrites or removes bytes of the old layout, so after a power cut the record on
    /// disk must be one whose data is on disk too, whether or not the last checkpoint itself was flushed.
    /// </summary>
    private void FlushBeforeAnnouncing() => _file.FlushData(_messageOffset, EndOffset - _messageOffset);

    /// <summary>The header page (records, table, progress word) reaches the disk before the bytes it announces move.</summary>
    private void FlushHeader() => _file.FlushData(_messageOffset, MappedFileLayout.DataStart(_messageOffset) - _messageOffset);
}
