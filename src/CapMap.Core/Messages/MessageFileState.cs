namespace CapMap.Messages;

/// <summary>What a checkpoint record says about the file.</summary>
public enum MessageFileState
{
    /// <summary>No valid CapMap record: a file some other writer made, or one killed before its first checkpoint.</summary>
    Unknown = 0,

    /// <summary>A checkpoint was written while building; the file may hold more after it.</summary>
    Checkpoint = 1,

    /// <summary>The message was finished: table written, file cut to size.</summary>
    Complete = 2,
}
