using CapMap.Mapping;

namespace CapMap.Messages;

/// <summary>
/// Building a mapped message failed part-way (disk full, file-size limit, file truncated by someone
/// else, I/O error). Says what happened and what was kept: everything up to the last checkpoint.
/// </summary>
public sealed class MappedMessageFailedException : IOException
{
    public MappedMessageFailedException(string path, MappedFileFailedException cause, CheckpointRecord? lastCheckpoint)
        : base(Describe(path, cause, lastCheckpoint), cause)
    {
        FilePath = path;
        Reason = cause.Reason;
        Errno = cause.Errno;
        LastCheckpoint = lastCheckpoint;
    }

    public string FilePath { get; }
    public MappedFileFailure Reason { get; }
    public int Errno { get; }
    public CheckpointRecord? LastCheckpoint { get; }

    private static string Describe(string path, MappedFileFailedException cause, CheckpointRecord? checkpoint) =>
        checkpoint is null
            ? $"{cause.Message} No checkpoint had been written, so '{path}' holds no complete message."
            : $"{cause.Message} '{path}' keeps checkpoint #{checkpoint.Sequence} ({checkpoint.RecordCount:N0} records, {checkpoint.MessageBytes:N0} bytes); it is restored when the message is disposed, or with Repair-CapnpMappedMessage.";
}
