using System.Collections;
using System.Management.Automation;
using System.Reflection;
using CapMap.Clr;
using CapMap.Schema.Inference;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// Binds field names to a .NET type as PowerShell shows it: a property PowerShell adapts from the type itself is
/// read by a getter compiled once per type; a note, script, code or alias property (type data, the provider's
/// PSPath notes) still goes through PowerShell, by name.
/// </summary>
internal sealed class DotNetTypeBinding : PropertyBinding
{
    private readonly Type _type;
    private readonly bool _wrapped;
    private readonly Func<object, object?>?[] _getters; // null: read through PowerShell by name
    private readonly string[] _names;

    private DotNetTypeBinding(Type type, bool wrapped, Func<object, object?>?[] getters, string[] names)
    {
        _type = type;
        _wrapped = wrapped;
        _getters = getters;
        _names = names;
    }

    public static DotNetTypeBinding? Create(object source, IReadOnlyList<string> names)
    {
        var pso = source as PSObject;
        object target = pso?.BaseObject ?? source;
        if (target is PSCustomObject or IDictionary || !HasOnlyTheDotNetAdapter(target)) return null;
        var type = target.GetType();
        var getters = new Func<object, object?>?[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            if (pso is null)
            {
                getters[i] = PropertyGetters.Find(type, names[i]) ?? (_ => null);
                continue;
            }
            // Only a member PowerShell itself takes from the .NET property, with the same type, may skip PowerShell.
            if (pso.Properties[names[i]] is PSProperty adapted && type.GetProperty(adapted.Name, BindingFlags.Instance | BindingFlags.Public) is { } clr
                && clr.PropertyType.FullName == adapted.TypeNameOfValue)
                getters[i] = PropertyGetters.Find(type, adapted.Name);
        }
        return new DotNetTypeBinding(type, pso is not null, getters, names.ToArray());
    }

    // XML nodes, data rows, WMI and COM objects get their properties from other adapters: names there are not .NET properties.
    private static bool HasOnlyTheDotNetAdapter(object target) =>
        !target.GetType().IsCOMObject && target is not (System.Xml.XmlNode or System.Data.DataRow or System.Data.DataRowView)
        && target.GetType().Namespace?.StartsWith("System.Management", StringComparison.Ordinal) != true;

    public override bool TryRead(object source, object?[] values)
    {
        var pso = source as PSObject;
        if ((pso is not null) != _wrapped) return false;
        object target = pso?.BaseObject ?? source;
        if (target.GetType() != _type) return false;
        var getters = _getters;
        for (int i = 0; i < getters.Length; i++)
        {
            var getter = getters[i];
            values[i] = getter is not null ? getter(target) : pso!.Properties[_names[i]] is { } p ? PSInstanceMembers.Read(p) : null;
        }
        return true;
    }
}
