namespace CapMap.Messages;

/// <summary>A declared segment: where it starts in the file and how many words the table gives it.</summary>
/// <remarks>A class, not a struct, for the reason <see cref="CapMap.Messages.WordPatch"/> gives.</remarks>
public sealed record DeclaredSegment(long FileOffset, int Words);
