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
            int keeps = Math.Min(cut.Max(p => p.Level), 100);
            yield return $"Values nested deeper than -Depth {depth} were written as text: {List(cut)}. -Depth {keeps} keeps them as objects.";
        }
        var textFields = paths.Where(p => !p.CutByDepth).ToList();
        if (textFields.Count > 0)
            yield return $"Values with properties were written as text: {List(textFields)}. The schema has a Text field there (the sample had text there, or the schema reached its limit of 1,024 structs).";
    }

    private static string List(IEnumerable<TextPath> paths) =>
        string.Join(", ", paths.Select(p => $"{p.Path} ({(p.Records == 1 ? "1 record" : $"{p.Records:N0} records")})"));
}
