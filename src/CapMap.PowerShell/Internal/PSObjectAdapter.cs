using System.Collections;
using System.Management.Automation;
using CapMap.Objects;
using CapMap.Schema.Inference;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// How CapMap sees PowerShell objects, for schema inference and for both record codecs: by the properties
/// PowerShell shows (<c>PSObject.Properties</c> in order: adapted, note, alias, script and code properties, no
/// methods; by name case-insensitively), a hashtable or other dictionary by its keys, and a wrapped plain value (a
/// value of the type table: <see cref="ObjectAdapter.IsScalar"/>) or collection as its base object. A getter that
/// throws reads as null, as Select-Object shows it, on every path (<see cref="PSInstanceMembers.Read"/>). Names are
/// matched once per shape: a PSCustomObject by its property-name sequence, a .NET object by its type
/// (see <see cref="NoteSequenceBinding"/>, <see cref="DotNetTypeBinding"/>).
/// </summary>
internal sealed class PSObjectAdapter : ObjectAdapter
{
    public static PSObjectAdapter Instance { get; } = new();

    /// <summary>The writer options the cmdlets use.</summary>
    public static ObjectWriterOptions Options(bool strict) => new() { Strict = strict, Adapter = Instance };

    private PSObjectAdapter() { }

    /// <summary>
    /// Replaces a PSObject by its BaseObject when that is a plain value, a dictionary or a list; keeps the PSObject
    /// for objects read by their properties (PSCustomObject, or .NET objects that may carry extended properties).
    /// </summary>
    public override object? Unwrap(object? value)
    {
        // A calculated property whose script block output nothing holds AutomationNull: that is "no value".
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
        // A PSCustomObject without properties is no record (as on the path below); an empty .NET object still is one.
        if (PSPropertyPlan.For(pso, nested) is { } plan) return plan.Count == 0 && pso.BaseObject is PSCustomObject ? null : plan.Read(pso);
        var properties = new List<KeyValuePair<string, object?>>();
        foreach (var property in pso.Properties)
            if (!(nested && property is PSScriptProperty))
                properties.Add(new(property.Name, PSInstanceMembers.Read(property)));
        if (!nested && pso.BaseObject is not PSCustomObject)
            foreach (var hidden in PSHiddenCodeProperties.Of(pso))
                properties.Add(new(hidden.Name, PSInstanceMembers.Read(hidden)));
        return properties.Count == 0 ? null : properties;
    }

    /// <remarks>By the plan made once per type (no property is read), or by the first property PowerShell shows.</remarks>
    public override bool HasProperties(object value, bool nested = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value is IDictionary) return base.HasProperties(value, nested);
        var pso = value as PSObject ?? PSObject.AsPSObject(value);
        if (pso.BaseObject is IDictionary) return base.HasProperties(pso.BaseObject, nested);
        if (PSPropertyPlan.For(pso, nested) is { } plan) return plan.Count > 0;
        foreach (var property in pso.Properties)
            if (!(nested && property is PSScriptProperty))
                return true;
        return false;
    }

    public override bool TryGetValue(object source, string name, out object? value)
    {
        switch (source)
        {
            case PSObject { BaseObject: IDictionary dictionary }:
                return base.TryGetValue(dictionary, name, out value);
            case PSObject pso:
                var property = pso.Properties[name];
                value = property is null ? null : PSInstanceMembers.Read(property);
                return property is not null;
            case PSCustomObject custom:
                return TryGetValue(PSObject.AsPSObject(custom), name, out value);
            default:
                return base.TryGetValue(source, name, out value);
        }
    }

    public override IEnumerable<string> GetNames(object source) => source switch
    {
        PSObject { BaseObject: IDictionary dictionary } => base.GetNames(dictionary),
        PSObject pso => pso.Properties.Select(p => p.Name).ToList(),
        PSCustomObject custom => GetNames(PSObject.AsPSObject(custom)),
        _ => base.GetNames(source),
    };

    public override PropertyBinding? Bind(object source, IReadOnlyList<string> names) => source switch
    {
        PSObject { BaseObject: PSCustomObject } pso => NoteSequenceBinding.Create(pso, names),
        PSObject { BaseObject: IDictionary } => null,
        PSObject pso => DotNetTypeBinding.Create(pso, names),
        PSCustomObject or IDictionary or IReadOnlyDictionary<string, object?> or IDictionary<string, object?> => null,
        _ => DotNetTypeBinding.Create(source, names),
    };

    public override object? ReusableKey(object value)
    {
        object inner = value is PSObject pso ? pso.BaseObject : value;
        // Every provider item carries the session's drive and provider: the same objects for a whole listing.
        return inner is PSDriveInfo or ProviderInfo ? inner : base.ReusableKey(inner);
    }

    public override string? GetTypeName(object value) =>
        value is PSObject pso ? (pso.BaseObject is PSCustomObject ? null : PSTypeNames.First(pso)) : base.GetTypeName(value);
}
