using CapMap.Schema.Inference;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// The warning for a path where values with properties were written as their text. The wording is stable (scripts
/// and docs/object-conversion.md quote it): the path, the records it took, and what keeps the values.
/// </summary>
internal static class TextPathWarning
{
    public static string For(TextPath path)
    {
        string records = path.Records == 1 ? "1 record" : $"{path.Records:N0} records";
        return path.CutByDepth
            ? $"Values nested deeper than -Depth {path.Depth} were written as text: {path.Path} ({records}). -Depth {path.Level} keeps them as objects."
            : $"Values with properties were written as text: {path.Path} ({records}). The schema has a Text field there.";
    }
}
