using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using CapMap.Clr;

namespace CapMap.Schema.Inference;

/// <summary>
/// How <see cref="ObjectAdapter.Default"/> reads properties by name, case-insensitively, from:
/// <list type="bullet">
/// <item>any <see cref="IDictionary"/> (Hashtable, <c>Dictionary&lt;string, …&gt;</c>, OrderedDictionary): exact key first,
/// then a case-insensitive scan of the string keys unless the dictionary is known to ignore case already;</item>
/// <item><see cref="StructValue"/> and any <c>IReadOnlyDictionary&lt;string, object?&gt;</c> or <c>IDictionary&lt;string, object?&gt;</c>;</item>
/// <item>any other object: its public instance properties (not indexers), through getters compiled once per type
/// (<see cref="PropertyGetters"/>). Where two properties differ only in case, an exact-case match wins, else the first
/// declared. A getter that throws reads as null, as <c>Select-Object</c> shows it.</item>
/// </list>
/// Thread-safe.
/// </summary>
internal static class PlainObjectProperties
{
    private static readonly Func<Hashtable, IEqualityComparer?> s_hashtableComparer = CompileHashtableComparerGetter();

    /// <summary>Gets property or key <paramref name="name"/> of <paramref name="source"/> (case-insensitive); false when it has none.</summary>
    public static bool TryGetValue(object source, string name, out object? value)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(name);
        switch (source)
        {
            case IDictionary dictionary:
                return TryGetFromDictionary(dictionary, name, out value);
            case IReadOnlyDictionary<string, object?> readOnly:
                if (readOnly.TryGetValue(name, out value)) return true;
                if (readOnly is StructValue) return false; // already case-insensitive
                foreach (var pair in readOnly)
                {
                    if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
                    {
                        value = pair.Value;
                        return true;
                    }
                }
                return false;
            case IDictionary<string, object?> generic:
                if (generic.TryGetValue(name, out value)) return true;
                foreach (var pair in generic)
                {
                    if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
                    {
                        value = pair.Value;
                        return true;
                    }
                }
                return false;
            default:
                var getter = PropertyGetters.Find(source.GetType(), name);
                if (getter is null)
                {
                    value = null;
                    return false;
                }
                value = getter(source);
                return true;
        }
    }

    /// <summary>The property or key names of <paramref name="source"/>.</summary>
    public static IEnumerable<string> GetNames(object source)
    {
        ArgumentNullException.ThrowIfNull(source);
        switch (source)
        {
            case IDictionary dictionary:
                var names = new List<string>(dictionary.Count);
                foreach (var key in dictionary.Keys)
                    names.Add(key as string ?? Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                return names;
            case IReadOnlyDictionary<string, object?> readOnly:
                return readOnly.Keys.ToList();
            case IDictionary<string, object?> generic:
                return generic.Keys.ToList();
            default:
                return PropertyGetters.Names(source.GetType());
        }
    }

    /// <summary>True when <see cref="TryGetValue"/> reads <paramref name="source"/> through reflected properties.</summary>
    internal static bool UsesReflection(object source) =>
        source is not (IDictionary or IReadOnlyDictionary<string, object?> or IDictionary<string, object?>);

    private static bool TryGetFromDictionary(IDictionary dictionary, string name, out object? value)
    {
        value = dictionary[name];
        if (value is not null) return true;
        if (dictionary.Contains(name)) return true;
        if (IgnoresCase(dictionary)) return false;
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is string key && string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = entry.Value;
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether a dictionary's own lookup already ignores case (PowerShell's @{} does), so a miss is final.</summary>
    private static bool IgnoresCase(IDictionary dictionary)
    {
        object? comparer = dictionary switch
        {
            Hashtable h => s_hashtableComparer(h),
            Dictionary<string, object?> d => d.Comparer,
            Dictionary<string, string> d => d.Comparer,
            _ => null,
        };
        if (comparer is not IEqualityComparer<string?> c) return false;
        if (StringComparer.IsWellKnownOrdinalComparer(c, out bool ignoreCase)) return ignoreCase;
        return StringComparer.IsWellKnownCultureAwareComparer(c, out _, out var options)
            && (options & System.Globalization.CompareOptions.IgnoreCase) != 0;
    }

    private static Func<Hashtable, IEqualityComparer?> CompileHashtableComparerGetter()
    {
        // Hashtable exposes its comparer only through a protected property.
        var property = typeof(Hashtable).GetProperty("EqualityComparer", BindingFlags.Instance | BindingFlags.NonPublic);
        if (property is null) return _ => null;
        // A delegate bound straight to the getter: no code is generated, so a script that never exports a hashtable
        // (and one that does) pays nothing for it at load.
        try
        {
            return property.GetMethod!.CreateDelegate<Func<Hashtable, IEqualityComparer?>>();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or MemberAccessException)
        {
            return table => (IEqualityComparer?)property.GetValue(table);
        }
    }

}
