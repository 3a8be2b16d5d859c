using CapMap.Mapping;

namespace CapMap.Messages;

/// <summary>
/// Building a mapped message failed part-way (disk full, file-size limit, file truncated by someone
/// else, I/O error). Says what happened and what was kept: everything up to the last checkpoint.
/// </summary>
public sealed class MappedMessageFailedException : IOException
{
    /// <summary>Creates the exception for the file at <paramref name="path"/>.</summary>
    public MappedMessageFailedException(string path, MappedFileFailedException cause, CheckpointRecord? lastCheckpoint)
        : base(Describe(path, cause, lastCheckpoint), cause)
    {
        FilePath = path;
        Reason = cause.Reason;
        Errno = cause.Errno;
        LastCheckpoint = lastCheckpoint;
    }

    /// <summary>The message file.</summary>
    public string FilePath { get; }
    /// <summary>What went wrong (disk full, size limit, truncated, I/O error, ...).</summary>
    public MappedFileFailure Reason { get; }
    /// <summary>The errno the failed growth call reported.</summary>
    public int Errno { get; }
    /// <summary>The checkpoint the file keeps (null: only the header).</summary>
    public CheckpointRecord? LastCheckpoint { get; }

    private static string Describe(string path, MappedFileFailedException cause, CheckpointRecord? checkpoint) =>
        checkpoint is null
            ? $"{cause.Message} No checkpoint had been written, so '{path}' holds no complete message."
            : $"{cause.Message} '{path}' keeps checkpoint #{checkpoint.Sequence} ({checkpoint.RecordCount:N0} records, {checkpoint.MessageBytes:N0} bytes); it is restored when the message is disposed, or with Repair-CapnpMappedMessage.";
}
