namespace CapMap.Messages;

/// <summary>A file cannot be restored: it has no intact checkpoint record, or the record does not fit the file.</summary>
public class MessageRepairException : IOException
{
    /// <summary>Says why the file cannot be restored.</summary>
    public MessageRepairException(string message) : base(message) { }

    /// <summary>Says why the file cannot be restored, and what the underlying failure was.</summary>
    public MessageRepairException(string message, Exception inner) : base(message, inner) { }
}
