namespace CapMap.Schema.Inference;

/// <summary>
/// Counts properties that records have but the inferred schema does not (they appeared after the sample), so a
/// cmdlet can warn once instead of losing them silently.
/// </summary>
public sealed class UnseenProperties
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>Property paths (<c>Name</c>, or <c>Parent.Name</c> for nested objects) and how many values each dropped.</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>Total values dropped.</summary>
    public long Total { get; private set; }

    /// <summary>Counts one dropped value; true the first time the path is seen (the moment to warn).</summary>
    public bool Add(string path)
    {
        Total++;
        bool first = !_counts.TryGetValue(path, out long n);
        _counts[path] = n + 1;
        return first;
    }
}
