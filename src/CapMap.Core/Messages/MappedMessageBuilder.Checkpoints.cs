using CapMap.Wire;

namespace CapMap.Messages;

// Checkpoints: the records that make the file a valid message of everything appended so far.

public sealed unsafe partial class MappedMessageBuilder
{
    /// <summary>
    /// Makes the file a valid message of everything appended so far (list counts, root and table written)
    /// while building continues. With <paramref name="flush"/>, data is written back before the header and
    /// the header is made durable, so a crash or kill leaves a file <see cref="MessageRepair"/> restores.
    /// </summary>
    public CheckpointRecord Checkpoint(bool flush = true)
    {
        ThrowIfUnusable();
        foreach (var list in _lists) if (!list.IsCompleted) list.Commit();
        var record = BuildRecord(MessageFileState.Checkpoint, DeclareWithGapsAsPadding());
        // A record that first re-aims a landing pad is made durable before the pad changes (PublishHeader), and its
        // data before it, flushed or not: the record the disk keeps must name data that is there.
        if (flush || PadsToReaim) _file.Flush(_messageOffset, record.MessageBytes, fsync: false);
        bool recordDurable = PublishHeader(record);
        // A record made durable before its patches needs no second flush: repair applies the patches from it.
        if (flush && !recordDurable) _file.Flush(_messageOffset, MappedFileLayout.DataStart(_messageOffset) - _messageOffset, fsync: true);
        ThrowIfFailed();
        LastCheckpoint = record;
        return record;
    }

    /// <summary>Publishes <paramref name="layout"/> (same content as the last checkpoint, new places) as the newest record.</summary>
    private void PublishLayout(CheckpointRecord layout)
    {
        var record = layout with { Sequence = ++_sequence };
        PublishHeader(record);
        LastCheckpoint = record;
    }

    /// <summary>The table as it must read now: segment 0 from the end of the table, gaps counted as padding.</summary>
    private DeclaredSegment[] DeclareWithGapsAsPadding()
    {
        var segments = _arena.Segments;
        int count = segments.Length;
        while (count > 1 && segments[count - 1].Used == 0) count--;
        var declared = new DeclaredSegment[count];
        int tableBytes = Framing.GetTableSize(count);
        for (int i = 0; i < count; i++)
        {
            long start = i == 0 ? _messageOffset + tableBytes : segments[i].Offset;
            long end = i + 1 < count ? segments[i + 1].Offset : segments[i].End;
            declared[i] = new DeclaredSegment(start, (int)((end - start) / 8));
        }
        return declared;
    }

    private CheckpointRecord BuildRecord(MessageFileState state, DeclaredSegment[] segments)
    {
        byte* fileBase = _arena.Base;
        var patches = new List<WordPatch>(1 + 2 * _lists.Count)
        {
            new(segments[0].FileOffset, MessageHeader.RelocateRoot(*Message.RootSlot, MappedFileLayout.BuilderRootSlot(_messageOffset), segments[0].FileOffset)),
        };
        foreach (var list in _lists)
        {
            patches.Add(new WordPatch((byte*)list.CountPointerAddress - fileBase, *list.CountPointerAddress));
            patches.Add(new WordPatch((byte*)list.TagAddress - fileBase, *list.TagAddress));
        }
        patches.AddRange(_rebasedPads);
        var last = segments[^1];
        long end = last.FileOffset + (long)last.Words * 8;
        long committed = _lists.Sum(list => (long)list.CommittedCount);
        return new CheckpointRecord(state, ++_sequence, end, committed, segments, patches) { MessageOffset = _messageOffset };
    }

    /// <summary>
    /// Record first, then table and patches: a kill between the two still leaves a record that repair can apply.
    /// True when the record was made durable on the way (the first one to re-aim a pad).
    /// </summary>
    private bool PublishHeader(CheckpointRecord record)
    {
        // The header page may reach the disk as soon as the record is in it: a shift made before any checkpoint
        // (TryShiftJournaled) must be durable first, or a power cut could pair the new layout with the old file.
        if (_shiftNotDurable) _file.Flush(_messageOffset, 0, fsync: true);
        _shiftNotDurable = false;
        MessageHeader.WriteRecord(_arena.Base, record);
        bool durable = PadsToReaim;
        if (durable)
        {
            // The re-aimed pads are words the records before this one read as they are, not as patches of their own.
            // A power cut may take the pad's page to the disk without the header page, and the last flushed record
            // would then follow a pad aimed at the new layout into the old one: the power-cut test found a message
            // of 3,000 flushed records repaired to an empty list that way. So this record is durable first.
            FlushHeader();
            _padsReaimed = true;
        }
        MessageHeader.Write(_arena.Base, record);
        return durable;
    }

    /// <summary>Pads re-aimed at Complete that no durable record carries yet.</summary>
    private bool PadsToReaim => _rebasedPads.Count > 0 && !_padsReaimed;

    private bool _padsReaimed;
}
