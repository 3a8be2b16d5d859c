using CapMap.IO;
using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>
/// What a message file holds, read from its segment table and (for CapMap files) its checkpoint record,
/// without reading the message itself. Works on any stream-framed file.
/// </summary>
public sealed record MessageFileInfo(
    string Path,
    long FileBytes,
    long MessageBytes,
    IReadOnlyList<int> SegmentWords,
    MessageFileState State,
    long CheckpointSequence,
    long RecordCount)
{
    /// <summary>Bytes after the end of the message (a file left larger than its segments declare).</summary>
    public long SlackBytes => Math.Max(0, FileBytes - MessageBytes);

    /// <summary>The table declares more bytes than the file has.</summary>
    public bool IsTruncated => FileBytes < MessageBytes;

    public int SegmentCount => SegmentWords.Count;

    /// <exception cref="CapnpFormatException">The file does not start with a valid segment table.</exception>
    /// <exception cref="FileTruncatedException">The file was cut while it was read.</exception>
    public static MessageFileInfo Read(string path)
    {
        using var mapping = ReadOnlyFileMapping.Open(path);
        return mapping.ReadConsistent(() => Read(path, mapping));
    }

    private static unsafe MessageFileInfo Read(string path, ReadOnlyFileMapping mapping)
    {
        var bytes = new ReadOnlySpan<byte>(mapping.Pointer, (int)Math.Min(mapping.Length, MappedFileLayout.HeaderBytes));
        var table = Framing.ReadTable(bytes);
        var record = bytes.Length >= MappedFileLayout.HeaderBytes ? CheckpointRecord.ReadLatest(bytes) : null;
        // A record only describes this file if it agrees with the table that is there now.
        if (record is not null && !Matches(record, table)) record = null;
        return new MessageFileInfo(System.IO.Path.GetFullPath(path), mapping.Length, table.MessageBytes, table.SegmentWords.ToArray(),
            record?.State ?? MessageFileState.Unknown, record?.Sequence ?? 0, record?.RecordCount ?? 0);
    }

    private static bool Matches(CheckpointRecord record, SegmentTable table) =>
        record.Segments.Count == table.SegmentCount &&
        record.Segments.Select(s => s.Words).SequenceEqual(table.SegmentWords);
}

/// <summary>Operations on whole message files.</summary>
public static unsafe class MessageFiles
{
    /// <summary>
    /// Cuts the bytes after the end of the message (the "slack" of a file left larger than its segment
    /// table declares). Returns the bytes removed. Takes the writer's lock, so a file still being built
    /// is refused.
    /// </summary>
    /// <exception cref="CapnpFormatException">The table is invalid or declares more than the file holds.</exception>
    public static long TrimSlack(string path)
    {
        // Measured before opening: a writable open pads the file to a whole page.
        long length = new FileInfo(path).Length;
        using var file = Mapping.MappedFile.Open(path, new Mapping.MappedFileOptions { ReserveBytes = MappedFileLayout.HeaderBytes });
        var table = Framing.ReadTable(new ReadOnlySpan<byte>(file.Base, (int)Math.Min(length, MappedFileLayout.HeaderBytes)));
        if (table.MessageBytes > length)
            throw new CapnpFormatException($"'{file.Path}' is {length} bytes but its segment table declares {table.MessageBytes}; it is truncated, not slack.");
        if (table.MessageBytes == length) return 0;
        file.SetLength(table.MessageBytes);
        file.Flush(0, table.MessageBytes, fsync: true);
        return length - table.MessageBytes;
    }
}
