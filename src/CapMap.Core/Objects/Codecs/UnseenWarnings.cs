using CapMap.Schema.Inference;

namespace CapMap.Objects.Codecs;

/// <summary>Property paths the inferred schema lacks, each handed out once, so a cmdlet warns once per path.</summary>
internal sealed class UnseenWarnings
{
    private readonly UnseenProperties _unseen;
    private readonly HashSet<string> _told = new(StringComparer.Ordinal);

    public UnseenWarnings(UnseenProperties unseen) => _unseen = unseen;

    /// <summary>Paths seen since the last call (cheap when there are none).</summary>
    public IReadOnlyList<string> Take()
    {
        if (_unseen.Counts.Count == _told.Count) return [];
        var fresh = _unseen.Counts.Keys.Where(k => !_told.Contains(k)).ToList();
        foreach (var k in fresh) _told.Add(k);
        return fresh;
    }
}
