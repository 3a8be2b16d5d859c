namespace CapMap.Messages;

/// <summary>
/// A message index (0-based, as <see cref="MessageFileInfo.Index"/> numbers the messages of a file) names no
/// message of the file. An <see cref="ArgumentException"/>: the caller's index is wrong, not the file.
/// </summary>
public sealed class MessageNotFoundException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="indexes"/>, which <paramref name="path"/> (of <paramref name="messageCount"/> messages) does not have.</summary>
    public MessageNotFoundException(string path, IReadOnlyList<int> indexes, int messageCount)
        : base($"'{path}' holds {messageCount} message(s), numbered 0 to {messageCount - 1} (Get-CapnpMessageInfo lists them); " +
            $"there is no message {string.Join(", ", indexes)}.")
    {
        Path = path;
        Indexes = indexes;
        MessageCount = messageCount;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The indexes the file has no message for.</summary>
    public IReadOnlyList<int> Indexes { get; }

    /// <summary>Messages the file holds.</summary>
    public int MessageCount { get; }
}
