namespace CapMap.Messages;

// Withdrawal: an appended message in which nothing was kept is taken back, so a refused append leaves the file as it was.

public sealed unsafe partial class MappedMessageBuilder
{
    /// <summary>The file's length before this message was appended to it; null for a message that did not append (a new file, or a next message).</summary>
    private long? _lengthBeforeAppend;

    /// <summary>True for a message <see cref="MappedMessageOptions.Append"/> put after the messages of an existing file, still open and not failed.</summary>
    public bool CanWithdraw => _lengthBeforeAppend is not null && !_completed && !_disposed && !_file.IsFailed;

    /// <summary>
    /// Takes this appended message back instead of completing it: the file is cut to the length it had before the
    /// append and closed, so it holds exactly the messages it held (for an append whose every record was refused,
    /// which would otherwise leave an empty message behind). Slack that followed the last message was cleared when
    /// the message was appended, so the bytes are the old ones when the file ended with its last message, as a
    /// completed file does.
    /// </summary>
    /// <remarks>
    /// Crash-safe: the earlier messages were never written, and the cut removes the whole new message at once; a
    /// kill before it leaves the new message at its last checkpoint, as any open message.
    /// </remarks>
    /// <param name="flush">Whether to fsync the cut.</param>
    /// <exception cref="InvalidOperationException">The message was not appended to an existing file (<see cref="CanWithdraw"/> is false).</exception>
    public void Withdraw(bool flush = true)
    {
        ThrowIfUnusable();
        if (_lengthBeforeAppend is not { } length)
            throw new InvalidOperationException("Only a message appended after the messages of an existing file can be withdrawn.");
        _disposed = true;
        try
        {
            _file.SetLength(length);
            if (flush) _file.Flush(0, 0, fsync: true);
            CrashPoints.Reach("withdraw: file cut");
        }
        finally
        {
            _file.Dispose();
        }
    }
}
