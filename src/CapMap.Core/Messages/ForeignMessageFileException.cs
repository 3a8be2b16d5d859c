namespace CapMap.Messages;

/// <summary>A file that CapMap did not write: changing it needs the caller's explicit consent (-Force).</summary>
public sealed class ForeignMessageFileException : IOException
{
    /// <summary>Says which file and what consent would change it.</summary>
    public ForeignMessageFileException(string message) : base(message) { }
}
