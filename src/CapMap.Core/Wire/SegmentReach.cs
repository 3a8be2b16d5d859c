namespace CapMap.Wire;

/// <summary>
/// What a walk of every pointer of a message reached in each segment (<see cref="MessageReader.ValidateStructure(SegmentReach)"/>):
/// the lowest and the highest word an object, a list tag or a landing pad occupies, and every word that names a
/// segment by id and offset (a far pointer, or the first word of a double-far landing pad). A reader never visits
/// the words of a segment outside that range, so they are padding: repair removes them to cut a restored file down to
/// its data, and re-aims the words that name a segment whose start it moves.
/// </summary>
/// <remarks>
/// An object of no words (an empty struct or list) still counts, as a point: readers check its position against
/// its segment too, so a segment's start may not move past it.
/// </remarks>
internal sealed unsafe class SegmentReach
{
    private readonly long[] _lowWord;
    private readonly long[] _endWord;
    private readonly List<FarWord> _farWords = new();

    public SegmentReach(int segmentCount)
    {
        _lowWord = new long[segmentCount];
        _endWord = new long[segmentCount];
        Array.Fill(_lowWord, long.MaxValue);
        Array.Fill(_endWord, -1);
    }

    /// <summary>A word at <see cref="Address"/> that names segment <see cref="Segment"/> with an offset from its start.</summary>
    public readonly record struct FarWord(int Segment, nint Address);

    /// <summary>True when some pointer reached segment <paramref name="segment"/>.</summary>
    public bool WasReached(int segment) => _endWord[segment] >= 0;

    /// <summary>The first word of segment <paramref name="segment"/> a reader visits (valid when <see cref="WasReached"/>).</summary>
    public long LowWord(int segment) => _lowWord[segment];

    /// <summary>The word after the last one of segment <paramref name="segment"/> a reader visits (valid when <see cref="WasReached"/>).</summary>
    public long EndWord(int segment) => _endWord[segment];

    /// <summary>Every far pointer and double-far landing pad, with the segment its offset counts from.</summary>
    public IReadOnlyList<FarWord> FarWords => _farWords;

    internal void Add(int segment, long word, long words)
    {
        if (word < _lowWord[segment]) _lowWord[segment] = word;
        if (word + words > _endWord[segment]) _endWord[segment] = word + words;
    }

    internal void AddFar(int segment, ulong* word) => _farWords.Add(new FarWord(segment, (nint)word));
}
