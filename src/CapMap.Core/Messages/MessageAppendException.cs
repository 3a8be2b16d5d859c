namespace CapMap.Messages;

/// <summary>A message cannot be appended to the file (it holds no messages, a truncated one, or one still being built).</summary>
public sealed class MessageAppendException : IOException
{
    /// <summary>Says why the message cannot be appended.</summary>
    public MessageAppendException(string message) : base(message) { }
}
