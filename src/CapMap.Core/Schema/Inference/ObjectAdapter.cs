using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace CapMap.Schema.Inference;

/// <summary>
/// The one seam through which CapMap sees input objects, for schema inference and for both record codecs: what is
/// a plain value (<see cref="IsScalar"/>, the type table's rule), what a wrapped value stands for
/// (<see cref="Unwrap"/>), an object's properties in order (<see cref="GetProperties"/>) or by name
/// (<see cref="TryGetValue"/>, <see cref="GetNames"/>, <see cref="Bind"/>), its type name and whether its stored
/// form may be reused. The default handles dictionaries (keys in enumeration order, as text; by name
/// case-insensitively) and plain .NET objects (public readable instance properties). A getter that throws reads as
/// null, as <c>Select-Object</c> shows it, on every path. The PowerShell layer derives from it to show PSObjects by
/// the properties PowerShell shows (adapted, note, alias and script ones).
/// </summary>
public class ObjectAdapter
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> s_properties = new();

    /// <summary>The adapter for plain .NET objects and dictionaries.</summary>
    public static ObjectAdapter Default { get; } = new();

    /// <summary>The value to classify in place of <paramref name="value"/> (e.g. a wrapped scalar's base object). The default returns it unchanged.</summary>
    public virtual object? Unwrap(object? value) => value;

    /// <summary>True if this adapter overrides <see cref="Unwrap"/> (writers call it per value only then).</summary>
    public bool UnwrapsValues => _unwrapsValues ??= Overrides(nameof(Unwrap));

    /// <summary>True if this adapter overrides <see cref="Bind"/> (writers ask it for a binding per shape only then).</summary>
    public bool BindsShapes => _bindsShapes ??= Overrides(nameof(Bind));

    private bool? _unwrapsValues, _bindsShapes;

    private bool Overrides(string method) => GetType().GetMethod(method)!.DeclaringType != typeof(ObjectAdapter);

    /// <summary>
    /// The properties of an object that is neither a scalar of the type table nor a collection; null if the
    /// value has no properties to show (it is then written as its string). <paramref name="nested"/> is true for
    /// an object that is a property's value (below the record's own level): an adapter may show such objects by
    /// their data alone, without members that are computed by running code of its host (PowerShell's script
    /// properties). The default shows every object the same way.
    /// </summary>
    public virtual IEnumerable<KeyValuePair<string, object?>>? GetProperties(object value, bool nested = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value is IDictionary dictionary) return DictionaryEntries(dictionary);
        var properties = s_properties.GetOrAdd(value.GetType(), t => t
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true })
            .ToArray());
        return properties.Length == 0 ? null : ReadProperties(value, properties);
    }

    /// <summary>
    /// True if <see cref="GetProperties"/> would show properties of <paramref name="value"/>, without reading them:
    /// asked of every object written as text (nesting cut at -Depth), to tell, so it must not read all of a
    /// process's threads to say yes. The default reads lazily and stops at the first property.
    /// </summary>
    public virtual bool HasProperties(object value, bool nested = false) => GetProperties(value, nested)?.Any() == true;

    /// <summary>
    /// For an object whose properties cannot change while records are written, a key (compared with
    /// <see cref="object.Equals(object)"/>) under which its stored form may be reused for the next record; else null.
    /// The default: a file system entry by its type and path (FileInfo.Directory makes a new DirectoryInfo per call,
    /// for one directory). The PowerShell layer adds its drive and provider objects.
    /// </summary>
    public virtual object? ReusableKey(object value) =>
        value is FileSystemInfo info ? (info.GetType(), info.FullName) : null;

    /// <summary>True if <paramref name="value"/> is a scalar of the type table (a number, text, date, Guid, enum, byte[] ...): it has no properties to show.</summary>
    public static bool IsScalar(object value) => ClrTypeTable.IsScalar(value);

    /// <summary>
    /// Gets the property <paramref name="name"/> (case-insensitive) of <paramref name="source"/> (an unwrapped value).
    /// Returns false when the object has no such property; a property that exists with a null value may return
    /// either true with null or false (both leave a field at its default).
    /// </summary>
    public virtual bool TryGetValue(object source, string name, out object? value) => PlainObjectProperties.TryGetValue(source, name, out value);

    /// <summary>Names of all properties of <paramref name="source"/> (strict writing reports unknown ones by them).</summary>
    public virtual IEnumerable<string> GetNames(object source) => PlainObjectProperties.GetNames(source);

    /// <summary>
    /// A reader of <paramref name="names"/> (matched case-insensitively) for objects shaped like
    /// <paramref name="source"/>, so the names are matched once per shape instead of once per field per record;
    /// null to read this object name by name (the default: plain objects have their own compiled getters).
    /// </summary>
    public virtual PropertyBinding? Bind(object source, IReadOnlyList<string> names) => null;

    /// <summary>The type name recorded for an object (read back as the name of the object's type). The default is the .NET type's full name.</summary>
    public virtual string? GetTypeName(object value) => value?.GetType().FullName;

    private static IEnumerable<KeyValuePair<string, object?>> DictionaryEntries(IDictionary dictionary)
    {
        foreach (DictionaryEntry e in dictionary)
            yield return new(Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", e.Value);
    }

    private static IEnumerable<KeyValuePair<string, object?>> ReadProperties(object value, PropertyInfo[] properties)
    {
        var type = value.GetType();
        foreach (var p in properties)
        {
            // Compiled once per type; null where the getter throws (Process.ExitCode on a running process, and the like).
            var getter = Clr.PropertyGetters.Find(type, p.Name);
            yield return new(p.Name, getter?.Invoke(value));
        }
    }
}
