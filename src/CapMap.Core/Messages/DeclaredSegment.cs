namespace CapMap.Messages;

/// <summary>A declared segment: where it starts in the file and how many words the table gives it.</summary>
public readonly record struct DeclaredSegment(long FileOffset, int Words);
