namespace CapMap.Messages;

/// <summary>What kind of data move a checkpoint record announces (see <see cref="PendingMove"/>).</summary>
public enum PendingMoveKind
{
    /// <summary>The file range [Offset, Offset + Length) is being removed with collapse-range; the file was <c>FileBytesBefore</c> long.</summary>
    Collapse = 1,

    /// <summary>The bytes [Offset, Offset + Length) are being copied to Destination, chunk by chunk (see <see cref="JournaledMove"/>).</summary>
    Copy = 2,

    /// <summary>
    /// A hole of Length bytes is being inserted at Offset with insert-range (the bytes from there on move up); the
    /// file was <c>FileBytesBefore</c> long. One system call, like a collapse: repair tells by the length whether it happened.
    /// </summary>
    Insert = 3,
}
