namespace CapMap.Schema.Inference;

/// <summary>
/// Counts, per property path, the records in which a value that has properties (an object, a dictionary, a list) was
/// written as its text because the inferred schema has a Text field there: nesting cut at <see cref="Depth"/>, or a
/// field the sample made text. A cmdlet reports each path once, with its count, instead of letting
/// <c>System.Collections.Hashtable</c> stand in for the values silently, as ConvertTo-Json warns when it cuts depth.
/// One instance serves every message of one writing (all codecs of its messages count into it). Not thread-safe.
/// </summary>
public sealed class ValuesWrittenAsText
{
    private readonly Dictionary<string, Entry> _byPath = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private int _told;

    /// <param name="depth">The -Depth the schema was inferred with (<see cref="InferenceOptions.Depth"/>).</param>
    public ValuesWrittenAsText(int depth) => Depth = depth;

    /// <summary>The -Depth the schema was inferred with: a path whose level is above it was cut by depth.</summary>
    public int Depth { get; }

    /// <summary>Paths in the order they were first written as text.</summary>
    public IReadOnlyList<TextPath> Paths => _order.Select(Describe).ToList();

    /// <summary>
    /// Counts one record that wrote values as text at <paramref name="paths"/> (a path and its level of nesting:
    /// 1 for the record's own properties). A path named twice in one record counts once.
    /// </summary>
    public void AddRecord(IReadOnlyList<(string Path, int Level)> paths)
    {
        for (int i = 0; i < paths.Count; i++)
        {
            var (path, level) = paths[i];
            if (SeenBefore(paths, i)) continue;
            if (!_byPath.TryGetValue(path, out var entry))
            {
                _byPath[path] = entry = new Entry(level);
                _order.Add(path);
            }
            entry.Records++;
        }
    }

    /// <summary>The paths not handed out before, with their counts so far (one warning each).</summary>
    public IReadOnlyList<TextPath> Take()
    {
        if (_told == _order.Count) return [];
        var fresh = _order.Skip(_told).Select(Describe).ToList();
        _told = _order.Count;
        return fresh;
    }

    private TextPath Describe(string path)
    {
        var entry = _byPath[path];
        return new TextPath(path, entry.Level, entry.Records, Depth);
    }

    private static bool SeenBefore(IReadOnlyList<(string Path, int Level)> paths, int index)
    {
        for (int j = 0; j < index; j++)
            if (string.Equals(paths[j].Path, paths[index].Path, StringComparison.Ordinal))
                return true;
        return false;
    }

    private sealed class Entry(int level)
    {
        public int Level { get; } = level;
        public long Records { get; set; }
    }
}
