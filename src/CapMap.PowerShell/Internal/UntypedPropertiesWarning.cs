namespace CapMap.PowerShell.Internal;

/// <summary>
/// ConvertTo-CapnpSchema's warning for the properties that were null in every object (Void in the schema): fine for
/// Export-CapnpMessage without -Schema, which types them at their first value, but a schema given to -Schema as it is
/// refuses every value there.
/// </summary>
internal static class UntypedPropertiesWarning
{
    private const int PathsShown = 10;

    /// <summary>The warning for <paramref name="paths"/>, or null when there are none.</summary>
    public static string? For(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) return null;
        string shown = string.Join(", ", paths.Take(PathsShown));
        if (paths.Count > PathsShown) shown += $" and {paths.Count - PathsShown} more";
        return $"Properties that were null in every object have no type yet (Void in the schema): {shown}. "
            + "Export-CapnpMessage without -Schema types them at their first value; a schema given to -Schema as it is "
            + "refuses every value there, so give them a type in its .capnp text first.";
    }
}
