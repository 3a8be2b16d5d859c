using CapMap.Schema.Inference;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// The warnings for paths where values with properties were written as their text. The wording is stable (scripts
/// and docs/object-conversion.md quote it): the paths, the records each took, and what keeps the values. All paths
/// cut by -Depth share one warning, as ConvertTo-Json gives one line for its cut: an everyday Get-ChildItem at the
/// default depth cuts seven paths, and seven warnings would bury the output they are about.
/// </summary>
internal static class TextPathWarning
{
    public static IEnumerable<string> For(IReadOnlyCollection<TextPath> paths)
    {
        var cut = paths.Where(p => p.CutByDepth).ToList();
        if (cut.Count > 0)
        {
            int depth = cut[0].Depth;
            int keeps = cut.Max(p => p.Level);
            // Past the greatest -Depth nothing keeps them: usually a value that holds itself ($h.self = $h), which
            // nests without end, so the warning says so instead of naming a -Depth the cmdlets refuse.
            string remedy = keeps <= InferenceOptions.MaxDepth
                ? $"-Depth {keeps} keeps them as objects."
                : $"No -Depth keeps them as objects: they nest more than {InferenceOptions.MaxDepth} levels deep (a value that holds itself nests without end).";
            yield return $"Values nested deeper than -Depth {depth} were written as text: {List(cut)}. {remedy}";
        }
        var textFields = paths.Where(p => !p.CutByDepth).ToList();
        if (textFields.Count > 0)
            yield return $"Values with properties were written as text: {List(textFields)}. The schema has a Text field there (the sample had text there, or the schema reached its limit of 1,024 structs).";
    }

    private static string List(IEnumerable<TextPath> paths) =>
        string.Join(", ", paths.Select(p => $"{Shorten(p.Path)} ({(p.Records == 1 ? "1 record" : $"{p.Records:N0} records")})"));

    /// <summary>
    /// A path of a hundred levels (a hashtable that holds itself: h{}.value{}.value{}...) would fill the screen: its
    /// start and end are kept, with the levels left out counted.
    /// </summary>
    private static string Shorten(string path)
    {
        const int KeptAtEachEnd = 3;
        var parts = path.Split('.');
        if (parts.Length <= 2 * KeptAtEachEnd + 1) return path;
        int left = parts.Length - 2 * KeptAtEachEnd;
        return $"{string.Join('.', parts[..KeptAtEachEnd])}.(… {left} levels …).{string.Join('.', parts[^KeptAtEachEnd..])}";
    }
}
