namespace CapMap.Messages;

/// <summary>How the gaps between lanes were closed at finish.</summary>
[Flags]
public enum GapClosing
{
    /// <summary>There was no gap (no streaming list, or it ended where the next segment begins).</summary>
    None = 0,

    /// <summary>Removed with collapse-range: nothing was copied.</summary>
    Collapsed = 1,

    /// <summary>The tail after the gap was copied down chunk by chunk, journaled: it was larger than the gap, so the copy overwrote its own source.</summary>
    Moved = 2,

    /// <summary>Declared as padding of the segment before it: the file keeps a hole there.</summary>
    Padded = 4,

    /// <summary>The tail after the gap fitted in it and was copied down in one piece: it overwrote nothing a record names, so it needed no journal.</summary>
    Copied = 8,
}
