using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using CapMap.Schema;

namespace CapMap.Objects;

/// <summary>
/// Reads properties, case-insensitively, from:
/// <list type="bullet">
/// <item>any <see cref="IDictionary"/> (Hashtable, <c>Dictionary&lt;string, …&gt;</c>, OrderedDictionary): exact key first,
/// then a case-insensitive scan of the string keys unless the dictionary is known to ignore case already;</item>
/// <item><see cref="StructValue"/> and any <c>IReadOnlyDictionary&lt;string, object?&gt;</c> or <c>IDictionary&lt;string, object?&gt;</c>;</item>
/// <item>any other object: its public instance properties (not indexers), through getters compiled once per type.
/// Where two properties differ only in case, an exact-case match wins, else the first declared. A getter that
/// throws reads as null, as <c>Select-Object</c> shows it.</item>
/// </list>
/// Thread-safe.
/// </summary>
public sealed class DefaultPropertyAccessor : IPropertyAccessor
{
    /// <summary>The shared instance (it holds no per-caller state).</summary>
    public static DefaultPropertyAccessor Instance { get; } = new();

    private static readonly ConcurrentDictionary<Type, TypeProperties> s_types = new();
    private static readonly Func<Hashtable, IEqualityComparer?> s_hashtableComparer = CompileHashtableComparerGetter();

    private DefaultPropertyAccessor() { }

    /// <summary>Gets property or key <paramref name="name"/> of <paramref name="source"/> (case-insensitive); false when it has none.</summary>
    public bool TryGetValue(object source, string name, out object? value)
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
                var getter = GetTypeProperties(source.GetType()).Find(name);
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
    public IEnumerable<string> GetNames(object source)
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
                return GetTypeProperties(source.GetType()).Names;
        }
    }

    /// <summary>
    /// The getter of public instance property <paramref name="name"/> of <paramref name="type"/> (exact case first,
    /// then ignoring case), compiled once per type, or null. It takes an instance of the type and returns null where
    /// the getter throws. Used by the per-type fast paths (<see cref="StructWriter"/>, the PowerShell binder).
    /// </summary>
    public static Func<object, object?>? FindGetter(Type type, string name) => GetTypeProperties(type).Find(name);

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

    private static TypeProperties GetTypeProperties(Type type) => s_types.GetOrAdd(type, static t => new TypeProperties(t));

    private sealed class TypeProperties
    {
        private readonly Dictionary<string, Func<object, object?>> _exact = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Func<object, object?>> _ignoreCase = new(StringComparer.OrdinalIgnoreCase);

        public TypeProperties(Type type)
        {
            var names = new List<string>();
            foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
            {
                if (property.GetIndexParameters().Length != 0 || property.GetMethod is not { IsPublic: true }) continue;
                if (property.PropertyType.IsByRefLike || property.PropertyType.IsPointer) continue;
                if (_exact.ContainsKey(property.Name)) continue; // hidden by a derived property of the same name
                var getter = Compile(type, property);
                _exact.Add(property.Name, getter);
                _ignoreCase.TryAdd(property.Name, getter);
                names.Add(property.Name);
            }
            Names = names.ToArray();
        }

        public string[] Names { get; }

        public Func<object, object?>? Find(string name) =>
            _exact.TryGetValue(name, out var g) || _ignoreCase.TryGetValue(name, out g) ? g : null;

        // A getter that throws reads as null, as Select-Object shows it: Process.ExitCode of a running process
        // must not reject the record. Reflection first, compiled once the property has been read often enough
        // (CompileWhenHot): a type seen for a few objects costs no code generation. The catch is compiled into the
        // getter, so the fast path stays one delegate.
        private static Func<object, object?> Compile(Type type, PropertyInfo property) =>
            CompileWhenHot<object, object?>.Create(source => ReadOrNull(property, source), () => CompileNow(type, property));

        private static Func<object, object?> CompileNow(Type type, PropertyInfo property)
        {
            try
            {
                var o = Expression.Parameter(typeof(object), "o");
                var body = Expression.Convert(Expression.Property(Expression.Convert(o, type), property), typeof(object));
                var guarded = Expression.TryCatch(body, Expression.Catch(typeof(Exception), Expression.Constant(null, typeof(object))));
                return Expression.Lambda<Func<object, object?>>(guarded, o).Compile();
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NotSupportedException)
            {
                return source => ReadOrNull(property, source); // e.g. by-ref-like property types; reflection still reports them
            }
        }

        private static object? ReadOrNull(PropertyInfo property, object source)
        {
            try
            {
                return property.GetValue(source);
            }
            catch (Exception e) when (e is TargetInvocationException or TargetException)
            {
                return null; // as the compiled getter's catch-all: a throwing getter, or an object of another type
            }
        }
    }
}
