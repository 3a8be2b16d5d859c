namespace CapMap.Messages;

/// <summary>
/// A move of every byte from <see cref="Offset"/> on that was announced before it began. The record
/// that carries it describes the layout <em>before</em> the move; after the move, everything at or past
/// <see cref="Offset"/> sits <see cref="Shift"/> bytes further on. Repair tells which of the two is on
/// disk (a collapse or an insert changes the file's length by exactly <see cref="Length"/>; a copy journals its progress)
/// and restores the matching one, so a kill at any instant of a move leaves a restorable file.
/// </summary>
public readonly record struct PendingMove(PendingMoveKind Kind, long Offset, long Length, long Other)
{
    /// <summary>A collapse of [offset, offset + length) in a file of <paramref name="fileBytesBefore"/> bytes.</summary>
    public static PendingMove Collapse(long offset, long length, long fileBytesBefore) => new(PendingMoveKind.Collapse, offset, length, fileBytesBefore);

    /// <summary>A hole of <paramref name="length"/> bytes inserted at <paramref name="offset"/> of a file of <paramref name="fileBytesBefore"/> bytes.</summary>
    public static PendingMove Insert(long offset, long length, long fileBytesBefore) => new(PendingMoveKind.Insert, offset, length, fileBytesBefore);

    /// <summary>True for a move the file system does in one system call, told apart afterwards by the file's length.</summary>
    public bool ChangesLength => Kind is PendingMoveKind.Collapse or PendingMoveKind.Insert;

    /// <summary>The file's length once the move has happened (for <see cref="ChangesLength"/> moves: <see cref="Other"/> is the length before).</summary>
    public long FileBytesAfter => Kind == PendingMoveKind.Collapse ? Other - Length : Other + Length;

    /// <summary>A copy of [source, source + length) to <paramref name="destination"/>.</summary>
    public static PendingMove Copy(long source, long destination, long length) => new(PendingMoveKind.Copy, source, length, destination);

    /// <summary>How far the bytes from <see cref="Offset"/> on travel (negative: towards the start of the file).</summary>
    public long Shift => Kind switch
    {
        PendingMoveKind.Collapse => -Length,
        PendingMoveKind.Insert => Length,
        _ => Other - Offset,
    };

    /// <summary>Where the moved bytes begin after the move: the layout the record describes shifts from here.</summary>
    public long ShiftFrom => Kind == PendingMoveKind.Collapse ? Offset + Length : Offset;
}
