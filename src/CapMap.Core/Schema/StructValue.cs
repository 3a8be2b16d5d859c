using System.Collections;

namespace CapMap.Schema;

/// <summary>
/// A struct (or group) decoded with its schema by <see cref="DynamicValueReader"/>: an immutable, ordered
/// name → value map holding every non-union field (code order) and, if the scope has a union, the active member.
/// Keys are case-insensitive. Value representation: see <see cref="DynamicValueReader"/>.
/// </summary>
public sealed class StructValue : IReadOnlyDictionary<string, object?>
{
    private readonly KeyValuePair<string, object?>[] _entries;
    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);

    internal StructValue(StructSchema schema, KeyValuePair<string, object?>[] entries, ushort? discriminant, FieldSchema? which)
    {
        Schema = schema;
        _entries = entries;
        Discriminant = discriminant;
        WhichField = which;
        for (int i = 0; i < entries.Length; i++) _index[entries[i].Key] = i;
    }

    /// <summary>The struct (or group) the values were decoded with.</summary>
    public StructSchema Schema { get; }

    /// <summary>The raw union discriminant, or null if the scope has no union.</summary>
    public ushort? Discriminant { get; }

    /// <summary>The active union member, or null (no union, or a discriminant the schema does not know).</summary>
    public FieldSchema? WhichField { get; }

    /// <summary>Name of the active union member, or null.</summary>
    public string? Which => WhichField?.Name;

    /// <summary>The value of field <paramref name="key"/> (case-insensitive); throws <see cref="KeyNotFoundException"/> for a field that was not read.</summary>
    public object? this[string key] => _index.TryGetValue(key, out int i)
        ? _entries[i].Value
        : throw new KeyNotFoundException($"'{key}' is not a field of {Schema.DisplayName}, or not the active union member.");

    /// <summary>Field names, in schema order (a union contributes only its member that is set).</summary>
    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    /// <summary>Field values, in the order of <see cref="Keys"/>.</summary>
    public IEnumerable<object?> Values => _entries.Select(e => e.Value);

    /// <summary>Number of fields read.</summary>
    public int Count => _entries.Length;

    /// <summary>True if field <paramref name="key"/> was read (case-insensitive).</summary>
    public bool ContainsKey(string key) => _index.ContainsKey(key);

    /// <summary>Gets the value of field <paramref name="key"/> if it was read.</summary>
    public bool TryGetValue(string key, out object? value)
    {
        if (_index.TryGetValue(key, out int i))
        {
            value = _entries[i].Value;
            return true;
        }
        value = null;
        return false;
    }

    /// <summary>The fields as name/value pairs, in schema order.</summary>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_entries).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The fields as <c>(name = value, …)</c>, for diagnostics.</summary>
    public override string ToString() => $"({string.Join(", ", _entries.Select(e => $"{e.Key} = {Format(e.Value)}"))})";

    internal static string Format(object? v) => v switch
    {
        null => "null",
        string s => $"\"{s}\"",
        byte[] b => $"0x\"{Convert.ToHexString(b)}\"",
        IReadOnlyList<object?> l => $"[{string.Join(", ", l.Select(Format))}]",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
