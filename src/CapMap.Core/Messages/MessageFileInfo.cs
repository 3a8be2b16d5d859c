using CapMap.IO;
using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>
/// One message of a message file, read from its segment table and (for CapMap messages) its checkpoint
/// record, without reading the message itself beyond its root. A file holds one message or a stream of
/// several (the standard framing); <see cref="ReadAll(string, int?)"/> gives one of these per message.
/// </summary>
public sealed record MessageFileInfo(
    string Path,
    long FileBytes,
    long MessageBytes,
    IReadOnlyList<int> SegmentWords,
    MessageFileState State,
    long CheckpointSequence,
    long RecordCount,
    int Index = 0,
    long Offset = 0,
    long SlackBytesAfter = 0)
{
    /// <summary>Bytes after this message that start no further message (only the last message of a file has any).</summary>
    public long SlackBytes => SlackBytesAfter;

    /// <summary>The table declares more bytes than the file has.</summary>
    public bool IsTruncated => Offset + MessageBytes > FileBytes;

    /// <summary>Segments of the message.</summary>
    public int SegmentCount => SegmentWords.Count;

    /// <summary>True when a CapMap checkpoint record describes this message (CapMap wrote it).</summary>
    public bool IsCapMapMessage => State != MessageFileState.Unknown;

    /// <summary>
    /// True when CapMap is still writing this message, or its writer stopped before completing it: the message holds
    /// the records of its last checkpoint, and more may have been written after it (see <see cref="State"/>).
    /// </summary>
    public bool IsIncomplete => State == MessageFileState.Checkpoint;

    /// <summary>
    /// Throws when the message is truncated (<see cref="IsTruncated"/>): its table declares bytes the file does not
    /// have, so it cannot be read. Readers refuse such a message before reading any of it; Get-CapnpMessageInfo
    /// describes it and reports the same error.
    /// </summary>
    /// <exception cref="CapnpFormatException">The message is truncated.</exception>
    public void ThrowIfTruncated()
    {
        if (IsTruncated)
            throw new CapnpFormatException(
                $"Message {Index} of '{Path}' is truncated: its table declares {MessageBytes:N0} bytes from byte {Offset:N0}, and the file has {FileBytes:N0} (state {State}).");
    }

    /// <summary>The first message of the file.</summary>
    /// <exception cref="CapnpFormatException">The file does not start with a valid segment table.</exception>
    /// <exception cref="FileTruncatedException">The file was cut while it was read.</exception>
    public static MessageFileInfo Read(string path) => ReadAll(path)[0];

    /// <summary>
    /// Every message of the file, in order. <paramref name="recordListPointer"/> names the root's pointer
    /// that holds the records (from a schema); without it, RecordCount is the CapMap record's count, or the
    /// element count of the root's only list of structs. A caller that goes on to read the messages or their schemas
    /// opens the file once instead (<see cref="OpenMessageFile"/>).
    /// </summary>
    /// <exception cref="CapnpFormatException">The file does not start with a valid segment table.</exception>
    /// <exception cref="FileTruncatedException">The file was cut while it was read.</exception>
    public static IReadOnlyList<MessageFileInfo> ReadAll(string path, int? recordListPointer = null)
    {
        using var file = OpenMessageFile.Open(path, recordListPointer);
        return file.Messages;
    }
}
