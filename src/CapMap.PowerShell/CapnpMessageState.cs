namespace CapMap.PowerShell;

/// <summary>Where an open message stands.</summary>
public enum CapnpMessageState
{
    /// <summary>Records can be added.</summary>
    Open,

    /// <summary>Complete-CapnpMappedMessage finished it: the file is an ordinary message.</summary>
    Completed,

    /// <summary>Disposed without completing: the file holds everything added, as a checkpoint.</summary>
    Closed,

    /// <summary>Growing the file failed (disk full, size limit, ...): the file keeps its last checkpoint.</summary>
    Failed,
}
