using System.Collections;
using System.Management.Automation;
using CapMap.Schema.Inference;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// How schema inference and the record codec see PowerShell objects: by the properties PowerShell shows
/// (<c>PSObject.Properties</c> in order: adapted, note, alias, script and code properties, no methods), a
/// hashtable or ordered dictionary by its keys, and a wrapped scalar as its base object. A getter that throws
/// reads as null, as Select-Object shows it.
/// </summary>
internal sealed class PSObjectAdapter : ObjectAdapter
{
    public static PSObjectAdapter Instance { get; } = new();

    private PSObjectAdapter() { }

    public override object? Unwrap(object? value)
    {
        if (ReferenceEquals(value, System.Management.Automation.Internal.AutomationNull.Value)) return null;
        if (value is not PSObject pso) return value;
        object inner = pso.BaseObject;
        if (inner is PSObject nested) return Unwrap(nested);
        if (inner is PSCustomObject) return pso;
        return IsScalar(inner) || inner is IDictionary or IEnumerable ? inner : pso;
    }

    /// <remarks>
    /// A nested object (a property's value) is shown without its script properties. Those are PowerShell's type
    /// data running a script block per object (FileVersionInfo's FileVersionRaw runs New-Object per file), computed
    /// from the object's own data, which is kept; Export-Csv never evaluates them either, as it writes a nested
    /// object as its string. The record's own script properties (FileInfo.BaseName, Process.CPU) are kept.
    /// </remarks>
    public override IEnumerable<KeyValuePair<string, object?>>? GetProperties(object value, bool nested = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value is IDictionary) return base.GetProperties(value);
        var pso = value as PSObject ?? PSObject.AsPSObject(value);
        if (pso.BaseObject is IDictionary dictionary) return base.GetProperties(dictionary);
        if (pso.BaseObject is not PSCustomObject && PSPropertyPlan.For(pso, nested) is { } plan) return plan.Read(pso);
        var properties = new List<KeyValuePair<string, object?>>();
        foreach (var property in pso.Properties)
            if (!(nested && property is PSScriptProperty))
                properties.Add(new(property.Name, Read(property)));
        return properties.Count == 0 ? null : properties;
    }

    public override object? ReusableKey(object value)
    {
        object inner = value is PSObject pso ? pso.BaseObject : value;
        // Every provider item carries the session's drive and provider: the same objects for a whole listing.
        return inner is PSDriveInfo or ProviderInfo ? inner : base.ReusableKey(inner);
    }

    public override string? GetTypeName(object value) =>
        value is PSObject pso ? (pso.BaseObject is PSCustomObject ? null : PSTypeNames.First(pso)) : base.GetTypeName(value);

    private static object? Read(PSPropertyInfo property)
    {
        try
        {
            object? v = property.Value;
            return ReferenceEquals(v, System.Management.Automation.Internal.AutomationNull.Value) ? null : v;
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException or NotSupportedException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return null; // Process.ExitCode of a running process, and the like: as Select-Object shows it
        }
    }
}
