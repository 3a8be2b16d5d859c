using System.Management.Automation;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// Objects read back whose properties vary from one to the next (an inferred struct that keeps rare properties as
/// entries): each is a PSCustomObject of its own note properties, in its own order, as Import-Clixml gives them, since
/// no generated row type fits them all.
/// </summary>
internal static class VaryingObjects
{
    /// <summary>A PSCustomObject of <paramref name="properties"/> with <paramref name="typeName"/> first in its type names (null: none).</summary>
    public static object Present(string? typeName, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        var o = new PSObject();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in properties)
            // A PSObject holds one property per name whatever its case: the first is kept, as rows keep it.
            if (name.Length > 0 && seen.Add(name))
                o.Properties.Add(new PSNoteProperty(name, value));
        if (typeName is not null) o.TypeNames.Insert(0, typeName);
        return o;
    }
}
