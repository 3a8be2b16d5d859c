using CapMap.IO;
using CapMap.Mapping;
using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>A file cannot be restored: it has no intact checkpoint record, or the record does not fit the file.</summary>
public class MessageRepairException : IOException
{
    /// <summary>Says why the file cannot be restored.</summary>
    public MessageRepairException(string message) : base(message) { }

    /// <summary>Says why the file cannot be restored, and what the underlying failure was.</summary>
    public MessageRepairException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// The checkpoint record is intact but the data it names is not (the bounds-checked reader rejects the
/// restored message). Repair leaves such a file exactly as it found it.
/// </summary>
public sealed class CheckpointDataDamagedException : MessageRepairException
{
    /// <summary>Says which checkpoint, and what the bounds-checked reader found.</summary>
    public CheckpointDataDamagedException(string message, CapnpFormatException inner) : base(message, inner) { }
}

/// <summary>What a repair did.</summary>
public sealed record RepairResult(string Path, MessageFileState State, long Sequence, long RecordCount, long BytesBefore, long BytesAfter, int SegmentCount);

/// <summary>
/// Restores a file to its last checkpoint after a crash, a <c>kill -9</c> or a failure: rewrites the
/// segment table, root pointer and list counts from the newest intact checkpoint record and cuts the
/// file to the bytes that checkpoint covered. Takes the writer's lock, so it refuses a file that is
/// still being built.
/// </summary>
/// <remarks>
/// Order of work, so that a refusal changes nothing: read the record; settle a move it announced (a
/// collapse is told by the file's length; a journaled copy is finished from its progress word, the only
/// write before the check, and one that only completes what the writer had begun); apply the header to
/// a private copy-on-write view and walk the whole message with the bounds-checked reader; only then
/// write the header and cut the file. Messages that follow a completed one (a stream of several) are kept.
/// </remarks>
public static unsafe class MessageRepair
{
    /// <summary>Restores the last CapMap message of <paramref name="path"/> to its newest intact checkpoint (see the class remarks).</summary>
    /// <exception cref="MessageRepairException">No intact record, or one that does not fit the file.</exception>
    /// <exception cref="CheckpointDataDamagedException">The record is intact but the data it names is not; the file is unchanged.</exception>
    /// <exception cref="MappedFileException">A page of the file could not be read or written back (EIO, ...); the errno says why.</exception>
    public static RepairResult Repair(string path)
    {
        try
        {
            return RepairMapped(path);
        }
        catch (MappedFileFailedException failed)
        {
            // A fault of the mapping during a repair is a page of the file that could not be read (or written
            // back), not a message that failed to grow: its message ("Writing … failed … data written after the
            // failure was discarded") and its ErrorId (MessageFailed) would tell the user the wrong story.
            throw new MappedFileException($"Repairing '{failed.FilePath}' failed: {MappedFileException.Describe(failed.Errno)}.",
                failed.FilePath, failed.Errno, failed);
        }
    }

    private static RepairResult RepairMapped(string path)
    {
        // Measured before opening: a writable open pads the file to a whole page.
        long length = new FileInfo(path).Length;
        using var file = MappedFile.Open(path, new MappedFileOptions { ReserveBytes = MappedFileLayout.HeaderBytes });
        CheckpointRecord latest, record;
        try
        {
            if (length < MappedFileLayout.HeaderBytes)
                throw new MessageRepairException($"'{file.Path}' is {length} bytes long; it holds no CapMap checkpoint.");
            latest = FindLastCapMapMessage(file.Base, length)
                ?? throw new MessageRepairException($"'{file.Path}' holds no intact CapMap checkpoint record; it was not written by CapMap, or was killed before its first checkpoint.");
            record = SettlePendingMove(file, latest, length);
            string? problem = MessageHeader.Validate(record, length);
            if (problem is not null)
                throw new MessageRepairException($"The last checkpoint of '{file.Path}' cannot be restored: {problem}.");
            Verify(file.Path, record);
        }
        catch (MessageRepairException)
        {
            // The writable open padded the file to a page: a refusal leaves it exactly as it was.
            if (new FileInfo(file.Path).Length != length) file.SetLength(length);
            throw;
        }

        if (record.Pending is null && !ReferenceEquals(record, latest))
            MessageHeader.WriteRecord(file.Base, record with { Sequence = latest.Sequence + 1 });
        MessageHeader.Write(file.Base, record);
        long keep = record.EndOffset;
        if (record.State == MessageFileState.Complete)
            keep = MessageStream.EndOfMessages(file.Base, length, record.EndOffset);
        file.SetLength(keep);
        file.Flush(0, keep, fsync: true);
        return new RepairResult(file.Path, record.State, record.Sequence, record.RecordCount, length, keep, record.Segments.Count);
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

    /// <summary>The record that describes the file as it is now, once an announced move is accounted for.</summary>
    private static CheckpointRecord SettlePendingMove(MappedFile file, CheckpointRecord record, long length)
    {
        if (record.Pending is not { } move) return record;
        switch (move.Kind)
        {
            case PendingMoveKind.Collapse:
                // fallocate(COLLAPSE_RANGE) is one system call: the file either still has its old length or is
                // exactly the collapsed range shorter. Anything else is not what the writer left.
                if (length == move.Other) return record with { Pending = null };
                if (length == move.Other - move.Length) return record.AfterPendingMove();
                throw new MessageRepairException(
                    $"The last checkpoint of '{file.Path}' announced removing {move.Length:N0} bytes from a {move.Other:N0}-byte file, but the file is {length:N0} bytes; it was changed by someone else.");
            case PendingMoveKind.Copy:
                long progress = JournaledMove.ReadProgress(file.Base, record.MessageOffset);
                long chunks = JournaledMove.ChunkCount(move);
                long dataStart = MappedFileLayout.DataStart(record.MessageOffset);
                if (move.Offset < dataStart || move.Other < dataStart || move.Length <= 0 || move.Shift == 0
                    || move.Offset + move.Length > length || move.Other + move.Length > length || progress < 0 || progress > chunks)
                    throw new MessageRepairException($"The last checkpoint of '{file.Path}' announces a move that does not fit the file ({length:N0} bytes).");
                if (progress < chunks) JournaledMove.Resume(file.Base, record.MessageOffset, move, progress);
                return record.AfterPendingMove();
            default:
                throw new MessageRepairException($"The last checkpoint of '{file.Path}' announces an unknown kind of move.");
        }
    }

    /// <summary>Walks the message the record restores, on a private view, so a damaged one changes nothing.</summary>
    private static void Verify(string path, CheckpointRecord record)
    {
        using var view = PrivateFileView.Open(path, record.EndOffset);
        MessageHeader.Write(view.Pointer, record);
        try
        {
            var options = new ReaderOptions { TraversalLimitInWords = Math.Max(WireLimits.DefaultTraversalLimitInWords, record.MessageBytes / 8 * 4) };
            using var reader = MessageReader.FromMemory(view.Pointer + record.MessageOffset, record.MessageBytes, options);
            reader.ValidateStructure();
        }
        catch (CapnpFormatException damaged)
        {
            throw new CheckpointDataDamagedException(
                $"The last checkpoint of '{path}' (#{record.Sequence}, {record.RecordCount:N0} records) names data that is not intact: {damaged.Message} The file was left as it was.", damaged);
        }
    }
}
