using System.Management.Automation;
using CapMap.Objects.Reading;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// What PowerShell adds to the rows Core reads: an object of an inferred schema whose .NET type was recorded
/// carries <c>Deserialized.</c> and that name first in its type names, as objects read back from CliXml do, so the
/// type's format views apply. Other rows go out as they are (their generated type is an ordinary .NET object).
/// </summary>
internal static class PSObjectReader
{
    private const string Deserialized = "Deserialized.";
    private static readonly string CustomObject = typeof(PSCustomObject).FullName!;

    /// <summary>The type name an object of an inferred schema shows, from the .NET type name it had: <c>Deserialized.</c> and that name; none for a PSCustomObject.</summary>
    public static string? TypeNameFor(string recorded) =>
        recorded == CustomObject ? null : recorded.StartsWith(Deserialized, StringComparison.Ordinal) ? recorded : Deserialized + recorded;

    /// <summary>The row, or a PSObject over it that carries its type name where the generated type could not.</summary>
    public static object Present(Row row)
    {
        if (Row.TypeNameOf(row) is not { } name || row.GetType().FullName == name) return row;
        return PSTypeNames.WithFirst(row, name);
    }
}
