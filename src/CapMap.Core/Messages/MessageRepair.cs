using CapMap.Mapping;

namespace CapMap.Messages;

/// <summary>A file cannot be restored: it has no intact checkpoint record, or the record does not fit the file.</summary>
public sealed class MessageRepairException : IOException
{
    public MessageRepairException(string message) : base(message) { }
}

/// <summary>What a repair did.</summary>
public sealed record RepairResult(string Path, MessageFileState State, long Sequence, long RecordCount, long BytesBefore, long BytesAfter, int SegmentCount);

/// <summary>
/// Restores a file to its last checkpoint after a crash, a <c>kill -9</c> or a failure: rewrites the
/// segment table, root pointer and list counts from the newest intact checkpoint record and cuts the
/// file to the bytes that checkpoint covered. Takes the writer's lock, so it refuses a file that is
/// still being built.
/// </summary>
public static unsafe class MessageRepair
{
    public static RepairResult Repair(string path)
    {
        // Measured before opening: a writable open pads the file to a whole page.
        long length = new FileInfo(path).Length;
        using var file = MappedFile.Open(path, new MappedFileOptions { ReserveBytes = MappedFileLayout.HeaderBytes });
        if (length < MappedFileLayout.HeaderBytes)
            throw new MessageRepairException($"'{file.Path}' is {length} bytes long; it holds no CapMap checkpoint.");
        var record = CheckpointRecord.ReadLatest(new ReadOnlySpan<byte>(file.Base, MappedFileLayout.HeaderBytes))
            ?? throw new MessageRepairException($"'{file.Path}' holds no intact CapMap checkpoint record; it was not written by CapMap, or was killed before its first checkpoint.");
        string? problem = MessageHeader.Validate(record, length);
        if (problem is not null)
            throw new MessageRepairException($"The last checkpoint of '{file.Path}' cannot be restored: {problem}.");

        MessageHeader.Write(file.Base, record.Segments, record.Patches);
        file.SetLength(record.MessageBytes);
        file.Flush(0, record.MessageBytes, fsync: true);
        return new RepairResult(file.Path, record.State, record.Sequence, record.RecordCount, length, record.MessageBytes, record.Segments.Count);
    }
}
