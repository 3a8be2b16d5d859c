using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>
/// The slack of a message file: bytes after its last message, and the holes of an unfinished CapMap message, which
/// Resize-CapnpMappedMessage cuts.
/// </summary>
public static unsafe class MessageFileSlack
{
    /// <summary>
    /// Cuts the bytes after the last message of the file (the "slack" of a file left larger than its
    /// messages, for example at its grown size). Every message is kept, also in a stream of several.
    /// A last message CapMap left unfinished (at a checkpoint: its writer stopped or was killed) is cut down to its
    /// data as <see cref="MessageRepair.Repair(string)"/> does, holes included: what such a file holds beyond its
    /// data is the holes of its streaming list (up to about 60 MiB), declared as padding, not bytes after it.
    /// Returns the bytes removed. Takes the writer's lock, so a file still being built is refused. A file
    /// CapMap did not write is changed only with <paramref name="force"/>.
    /// </summary>
    /// <exception cref="CapnpFormatException">The table is invalid, or the last message is truncated.</exception>
    /// <exception cref="ForeignMessageFileException">No message of the file is CapMap's and <paramref name="force"/> is false.</exception>
    /// <exception cref="MessageRepairException">The last message is unfinished and its checkpoint cannot be restored; the file is unchanged.</exception>
    /// <exception cref="CheckpointDataDamagedException">The last message is unfinished and the data its checkpoint names is not intact; the file is unchanged.</exception>
    public static long Trim(string path, bool force = false)
    {
        if (EndsUnfinished(path))
        {
            var repaired = MessageRepair.Repair(path);
            return repaired.BytesRemoved;
        }
        return TrimAfterLastMessage(path, force);
    }

    /// <summary>True when the last message of the file is CapMap's and unfinished (at a checkpoint, or mid-move).</summary>
    private static bool EndsUnfinished(string path)
    {
        using var open = OpenMessageFile.Open(path);
        return open.Messages[^1].IsIncomplete;
    }

    private static long TrimAfterLastMessage(string path, bool force)
    {
        // Measured before opening: a writable open pads the file to a whole page.
        long length = new FileInfo(path).Length;
        using var file = Mapping.MappedFile.Open(path, new Mapping.MappedFileOptions { ReserveBytes = MappedFileLayout.HeaderBytes });
        var messages = CapMapMessageScan.Scan(file.Base, length);
        try
        {
            if (messages.Count == 0)
                Framing.ThrowNotAMessage(file.Path, new ReadOnlySpan<byte>(file.Base, (int)Math.Min(length, MappedFileLayout.HeaderBytes)));
            var last = messages[^1].Message;
            if (last.IsTruncated)
                throw new CapnpFormatException($"'{file.Path}' is {length} bytes but message {last.Index} declares {last.Bytes} bytes from byte {last.Offset}; it is truncated, not slack.");
            if (!force && messages.All(m => m.Record is null))
                throw new ForeignMessageFileException($"'{file.Path}' was not written by CapMap; use -Force to cut the {length - last.End:N0} bytes after its last message anyway.");
            if (last.End == length) return 0;
            file.SetLength(last.End);
            file.Flush(0, last.End, fsync: true);
            return length - last.End;
        }
        catch
        {
            // The writable open padded the file to a page: a refusal leaves it as it was.
            if (new FileInfo(file.Path).Length != length) file.SetLength(length);
            throw;
        }
    }
}
