using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>
/// The checkpoint record is intact but the data it names is not (the bounds-checked reader rejects the
/// restored message). Repair leaves such a file exactly as it found it.
/// </summary>
public sealed class CheckpointDataDamagedException : MessageRepairException
{
    /// <summary>Says which checkpoint, and what the bounds-checked reader found.</summary>
    public CheckpointDataDamagedException(string message, CapnpFormatException inner) : base(message, inner) { }
}
