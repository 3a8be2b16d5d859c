using System.Collections;
using System.Management.Automation;
using CapMap.Objects;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// Reads input properties the way PowerShell users expect: a PSObject by its <c>PSObject.Properties</c>
/// (note properties of PSCustomObject, adapted and extended properties of .NET objects, case-insensitive),
/// a hashtable or other dictionary by its keys, anything else through <see cref="DefaultPropertyAccessor"/>.
/// As an <see cref="IPropertyBinder"/> it matches names once per shape: a PSCustomObject by its property-name
/// sequence, a .NET object by its type (see <see cref="NoteSequenceBinding"/>, <see cref="DotNetTypeBinding"/>).
/// </summary>
internal sealed class PSObjectPropertyAccessor : IPropertyAccessor, IPropertyBinder
{
    public static PSObjectPropertyAccessor Instance { get; } = new();

    /// <summary>The writer options the cmdlets use.</summary>
    public static ObjectWriterOptions Options(bool strict) => new()
    {
        Strict = strict,
        Accessor = Instance,
        Unwrap = Unwrap,
    };

    private PSObjectPropertyAccessor() { }

    /// <summary>
    /// Replaces a PSObject by its BaseObject when that is a value, a dictionary or a list; keeps the PSObject for
    /// objects read by their properties (PSCustomObject, or .NET objects that may carry extended properties).
    /// </summary>
    public static object? Unwrap(object? value)
    {
        // A calculated property whose script block output nothing holds AutomationNull: that is "no value".
        if (ReferenceEquals(value, System.Management.Automation.Internal.AutomationNull.Value)) return null;
        if (value is not PSObject pso) return value;
        object inner = pso.BaseObject;
        if (inner is PSObject nested) return Unwrap(nested);
        return inner switch
        {
            PSCustomObject => pso,
            string or IDictionary or IEnumerable => inner,
            ValueType or Enum => inner,
            _ => pso,
        };
    }

    public bool TryGetValue(object source, string name, out object? value)
    {
        switch (source)
        {
            case PSObject pso when pso.BaseObject is IDictionary dictionary:
                return DefaultPropertyAccessor.Instance.TryGetValue(dictionary, name, out value);
            case PSObject pso:
                var property = pso.Properties[name];
                if (property is null)
                {
                    value = null;
                    return false;
                }
                try
                {
                    value = property.Value;
                }
                catch (GetValueException)
                {
                    value = null; // a throwing getter reads as null, as Select-Object shows it; PowerShell's adapters mostly return null themselves
                }
                if (ReferenceEquals(value, System.Management.Automation.Internal.AutomationNull.Value)) value = null;
                return true;
            case PSCustomObject custom:
                return TryGetValue(PSObject.AsPSObject(custom), name, out value);
            default:
                return DefaultPropertyAccessor.Instance.TryGetValue(source, name, out value);
        }
    }

    public PropertyBinding? Bind(object source, IReadOnlyList<string> names) => source switch
    {
        PSObject { BaseObject: PSCustomObject } pso => NoteSequenceBinding.Create(pso, names),
        PSObject { BaseObject: IDictionary } => null,
        PSObject pso => DotNetTypeBinding.Create(pso, names),
        PSCustomObject or IDictionary or IReadOnlyDictionary<string, object?> or IDictionary<string, object?> => null,
        _ => DotNetTypeBinding.Create(source, names),
    };

    public IEnumerable<string> GetNames(object source) => source switch
    {
        PSObject pso when pso.BaseObject is IDictionary dictionary => DefaultPropertyAccessor.Instance.GetNames(dictionary),
        PSObject pso => pso.Properties.Select(p => p.Name).ToList(),
        PSCustomObject custom => GetNames(PSObject.AsPSObject(custom)),
        _ => DefaultPropertyAccessor.Instance.GetNames(source),
    };
}
