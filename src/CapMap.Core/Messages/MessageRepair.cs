using CapMap.IO;
using CapMap.Mapping;
using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>
/// Restores a file to its last checkpoint after a crash, a <c>kill -9</c>, a power cut or a failure: rewrites
/// the segment table, root pointer and list counts from the newest intact checkpoint record and cuts the file
/// to the bytes that checkpoint covered. Takes the writer's lock, so it refuses a file that is still being built.
/// </summary>
/// <remarks>
/// Order of work, so that a refusal changes nothing, not even the length: take the lock, and only then measure
/// the file (a writer that held it may have cut or grown it until then); map it privately (copy-on-write);
/// there, read the record, settle a move it announced (a collapse or an insert is told by the file's length; a journaled copy
/// is finished from its progress word), apply the header and walk the whole message with the bounds-checked
/// reader. Only a message that passes is applied to the file, and that is journaled too: the copy is finished
/// chunk by chunk under the same progress word, the settled record is made durable before the table, and the
/// file is cut last, so a kill or a power cut during repair leaves a file that repair restores the same way.
/// A restored checkpoint is then cut down to its data as Complete cuts a message: the holes a sparse list keeps
/// (declared as padding) are closed by Complete's own rebasing and gap closing, each step announced in a record
/// (<see cref="MappedMessageBuilder.CutRestoredCheckpoint"/>), so a kill at any of them is repaired the same way.
/// Messages that follow a completed one (a stream of several) are kept.
/// </remarks>
public static unsafe class MessageRepair
{
    /// <summary>Restores the last CapMap message of <paramref name="path"/> to its newest intact checkpoint (see the class remarks).</summary>
    /// <exception cref="MessageRepairException">No intact record, or one that does not fit the file; the file is unchanged.</exception>
    /// <exception cref="CheckpointDataDamagedException">The record is intact but the data it names is not; the file is unchanged.</exception>
    /// <exception cref="MappedFileException">A page of the file could not be read or written back (EIO, ...); the errno says why.</exception>
    public static RepairResult Repair(string path) => Repair(path, MappedMessageBuilder.DefaultCopyTailLimitBytes);

    /// <summary><see cref="Repair(string)"/>; tests lower <paramref name="copyTailLimitBytes"/> to reach the collapse of the holes.</summary>
    internal static RepairResult Repair(string path, long copyTailLimitBytes)
    {
        try
        {
            return RepairMapped(path, copyTailLimitBytes);
        }
        catch (MappedFileFailedException failed)
        {
            throw FileAccessFailed(failed);
        }
        catch (MappedMessageFailedException failed) when (failed.InnerException is MappedFileFailedException cause)
        {
            // Cutting the holes goes through the builder's moves, which report a failed page as a failed message.
            throw FileAccessFailed(cause);
        }
    }

    /// <summary>
    /// A fault of the mapping during a repair is a page of the file that could not be read (or written back), not a
    /// message that failed to grow: its message ("Writing … failed … data written after the failure was discarded")
    /// and its ErrorId (MessageFailed) would tell the user the wrong story.
    /// </summary>
    private static MappedFileException FileAccessFailed(MappedFileFailedException failed) =>
        new($"Repairing '{failed.FilePath}' failed: {MappedFileException.Describe(failed.Errno)}.", failed.FilePath, failed.Errno, failed);

    private static RepairResult RepairMapped(string path, long copyTailLimitBytes)
    {
        // The lock first, then the length: measured before it, a writer could still cut or grow the file. Not
        // padded to a page: nothing is written before the message is verified.
        using var file = MappedFile.OpenKeepingLength(path, new MappedFileOptions { ReserveBytes = MappedFileLayout.HeaderBytes });
        long length = file.CommittedBytes;
        if (length < MappedFileLayout.HeaderBytes)
            throw new MessageRepairException($"'{file.Path}' is {length} bytes long; it holds no CapMap checkpoint.");

        var plan = Rehearse(file, length);
        var record = Apply(file, plan, length);
        CrashPoints.Reach("repair: checkpoint restored");
        var gaps = GapClosing.None;
        if (record.State == MessageFileState.Checkpoint)
            (record, gaps) = MappedMessageBuilder.CutRestoredCheckpoint(file, record, plan.Data, plan.FarWords, copyTailLimitBytes);
        return new RepairResult(file.Path, record.State, record.Sequence, record.RecordCount, length, new FileInfo(file.Path).Length, record.Segments.Count)
        {
            Gaps = gaps,
        };
    }

    /// <summary>
    /// What repair found and verified: the record as the file has it, the record once its move is settled, where to
    /// cut, and where the data of each segment lies (with the words that name a segment by offset), to cut the holes.
    /// </summary>
    private sealed record RepairPlan(CheckpointRecord Latest, CheckpointRecord Settled, long Keep,
        IReadOnlyList<(long Start, long DataStart, long DataEnd)> Data, IReadOnlyList<(int Segment, long FileOffset)> FarWords);

    /// <summary>
    /// Everything repair decides, done in a private copy-on-write view of the file: find the record, settle its
    /// move, apply the header, walk the message. Throws before the file is touched when any of it fails.
    /// </summary>
    private static RepairPlan Rehearse(MappedFile file, long length)
    {
        // Through the locked descriptor: the rehearsal sees the file that was locked and measured, and opens nothing again.
        using var view = PrivateFileView.Open(file, length);
        string path = file.Path;
        RepairPlan plan;
        try
        {
            var latest = FindLastCapMapMessage(view.Pointer, length)
                ?? throw new MessageRepairException($"'{path}' holds no intact CapMap checkpoint record; it was not written by CapMap, or was killed before its first checkpoint.");
            var record = SettlePendingMove(view.Pointer, path, latest, length);
            string? problem = MessageHeader.Validate(record, length);
            if (problem is not null)
                throw new MessageRepairException($"The last checkpoint of '{path}' cannot be restored: {problem}.");
            MessageHeader.Write(view.Pointer, record);
            var reach = Verify(view.Pointer, path, record);
            long keep = record.State == MessageFileState.Complete ? MessageStream.EndOfMessages(view.Pointer, length, record.EndOffset) : record.EndOffset;
            var farWords = reach.FarWords.Select(w => (w.Segment, (long)((byte*)w.Address - view.Pointer))).ToArray();
            plan = new RepairPlan(latest, record, keep, RestoredSegments.Measure(view.Pointer, length, record, reach), farWords);
        }
        catch (MessageRepairException refused) when (view.IsDamaged)
        {
            // A page that could not be read reads as zeros: the refusal is the read error's doing.
            view.ThrowIfDamaged(refused);
            throw;
        }
        view.ThrowIfDamaged();
        return plan;
    }

    /// <summary>
    /// Writes what <see cref="Rehearse"/> verified into the file, in an order that survives a kill or a power cut
    /// at any step: finish the journaled copy (durably, chunk by chunk), make the settled record durable, then the
    /// table and patches, then cut and fsync. Returns the record the file agrees with now (its sequence the newest).
    /// </summary>
    private static CheckpointRecord Apply(MappedFile file, RepairPlan plan, long length)
    {
        var (latest, record, keep, _, _) = plan;
        if (latest.Pending is { Kind: PendingMoveKind.Copy } move)
        {
            long progress = JournaledMove.ReadProgress(file.Base, latest.MessageOffset);
            if (progress < JournaledMove.ChunkCount(move)) JournaledMove.Resume(file, latest.MessageOffset, move, progress);
        }
        if (!ReferenceEquals(record, latest))
        {
            // Until this record is on disk the announcement stays the newest: the cut below may remove the move's source.
            record = record with { Sequence = latest.Sequence + 1 };
            MessageHeader.WriteRecord(file.Base, record);
            file.FlushData(record.MessageOffset, MappedFileLayout.DataStart(record.MessageOffset) - record.MessageOffset);
        }
        MessageHeader.Write(file.Base, record);
        if (keep != length) file.SetLength(keep);
        file.Flush(0, keep, fsync: true);
        return record;
    }

    /// <summary>
    /// The record of the message repair is for: the last CapMap message of the file's stream. Walks the
    /// stream from the start, looking for a record at each message's start before trusting its table (a
    /// writer killed between record and table leaves a table that disagrees); a CapMap message at a
    /// checkpoint, or with a move announced, is the one being written, so the walk ends there.
    /// </summary>
    private static CheckpointRecord? FindLastCapMapMessage(byte* file, long length)
    {
        CheckpointRecord? found = null;
        long offset = 0;
        while (length - offset >= 8)
        {
            var record = length - offset >= MappedFileLayout.HeaderBytes
                ? CheckpointRecord.ReadLatest(new ReadOnlySpan<byte>(file + offset, MappedFileLayout.HeaderBytes))
                : null;
            if (record is not null && record.MessageOffset == offset && record.EndOffset > offset)
            {
                found = record;
                if (record.State == MessageFileState.Checkpoint || record.Pending is not null) break;
                offset = record.EndOffset;
                continue;
            }
            var next = MessageStream.Scan(file, length, offset);
            if (next.Count == 0 || next[0].IsTruncated) break;
            offset = next[0].End;
        }
        return found;
    }

    /// <summary>
    /// The record that describes the file as it is now, once an announced move is accounted for. A copy the
    /// progress word says is unfinished is finished here, in <paramref name="view"/> (private): what the file would
    /// become is known, and checked, before the file is touched.
    /// </summary>
    private static CheckpointRecord SettlePendingMove(byte* view, string path, CheckpointRecord record, long length)
    {
        if (record.Pending is not { } move) return record;
        long dataStart = MappedFileLayout.DataStart(record.MessageOffset);
        // Subtractions, not sums: the values come from the file and must not overflow into a pass.
        bool Inside(long offset) => offset >= dataStart && offset <= length && move.Length > 0 && move.Length <= length - offset;
        switch (move.Kind)
        {
            case PendingMoveKind.Collapse or PendingMoveKind.Insert:
                string what = move.Kind == PendingMoveKind.Collapse ? "removing" : "inserting";
                if (move.Offset < dataStart || move.Length <= 0 || move.Length > move.Other && move.Kind == PendingMoveKind.Collapse)
                    throw new MessageRepairException($"The last checkpoint of '{path}' announces {what} a range that does not fit the file.");
                // fallocate(COLLAPSE_RANGE or INSERT_RANGE) is one system call: the file either still has its old
                // length or is exactly the range shorter (longer). Anything else is not what the writer left.
                if (length == move.Other) return record with { Pending = null };
                if (length == move.FileBytesAfter) return Settled(path, record);
                throw new MessageRepairException(
                    $"The last checkpoint of '{path}' announced {what} {move.Length:N0} bytes in a {move.Other:N0}-byte file, but the file is {length:N0} bytes; it was changed by someone else.");
            case PendingMoveKind.Copy:
                if (!Inside(move.Other) || move.Shift == 0)
                    throw new MessageRepairException($"The last checkpoint of '{path}' announces a move that does not fit the file ({length:N0} bytes).");
                long progress = JournaledMove.ReadProgress(view, record.MessageOffset);
                long chunks = JournaledMove.ChunkCount(move);
                // A finished copy needs no source: the writer may have cut it off the file (the tail move at Complete).
                if (progress < 0 || progress > chunks || (progress < chunks && !Inside(move.Offset)))
                    throw new MessageRepairException($"The last checkpoint of '{path}' announces a move that does not fit the file ({length:N0} bytes), or its progress word ({progress}) is not one of its 0 to {chunks} chunks.");
                if (progress < chunks) JournaledMove.Rehearse(view, record.MessageOffset, move, progress);
                return Settled(path, record);
            default:
                throw new MessageRepairException($"The last checkpoint of '{path}' announces an unknown kind of move.");
        }
    }

    /// <summary>The layout after the record's move; one whose segments the move would stretch past what a table can declare is refused.</summary>
    private static CheckpointRecord Settled(string path, CheckpointRecord record)
    {
        try
        {
            return record.AfterPendingMove();
        }
        catch (OverflowException)
        {
            throw new MessageRepairException($"The last checkpoint of '{path}' announces a move that no segment table could describe.");
        }
    }

    /// <summary>Walks the message the record restores, in the private view that holds it, so a damaged one changes nothing.</summary>
    /// <returns>What the walk reached in each segment: where the data lies, for cutting the holes around it.</returns>
    private static SegmentReach Verify(byte* view, string path, CheckpointRecord record)
    {
        try
        {
            var options = new ReaderOptions { TraversalLimitInWords = Math.Max(WireLimits.DefaultTraversalLimitInWords, record.MessageBytes / 8 * 4) };
            using var reader = MessageReader.FromMemory(view + record.MessageOffset, record.MessageBytes, options);
            var reach = new SegmentReach(record.Segments.Count);
            reader.ValidateStructure(reach);
            return reach;
        }
        catch (CapnpFormatException damaged)
        {
            throw new CheckpointDataDamagedException(
                $"The last checkpoint of '{path}' (#{record.Sequence}, {record.RecordCount:N0} records) names data that is not intact: {damaged.Message} The file was left as it was.", damaged);
        }
    }
}
