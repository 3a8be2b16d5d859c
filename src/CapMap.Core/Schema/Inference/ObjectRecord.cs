using System.Collections;

namespace CapMap.Schema.Inference;

/// <summary>
/// An object read back from a record or nested struct whose .NET origin was an object (not a dictionary): its
/// properties with their original names and values, in order, and the type name it had. The PowerShell layer
/// turns it into a PSCustomObject.
/// </summary>
public sealed class ObjectRecord : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _properties;

    /// <summary>Creates the record.</summary>
    public ObjectRecord(string? typeName, IEnumerable<KeyValuePair<string, object?>> properties)
    {
        TypeName = typeName;
        _properties = properties.ToArray();
    }

    /// <summary>The .NET type name the object had when the schema was inferred; null if it was not recorded or the records had several types.</summary>
    public string? TypeName { get; }

    /// <summary>The value of the property with this name (ordinal comparison).</summary>
    /// <exception cref="KeyNotFoundException">There is no such property.</exception>
    public object? this[string name]
    {
        get
        {
            foreach (var p in _properties)
                if (string.Equals(p.Key, name, StringComparison.Ordinal))
                    return p.Value;
            throw new KeyNotFoundException($"The record has no property '{name}'.");
        }
    }

    /// <inheritdoc/>
    public KeyValuePair<string, object?> this[int index] => _properties[index];

    /// <inheritdoc/>
    public int Count => _properties.Length;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_properties).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => $"@{{{string.Join("; ", _properties.Select(p => $"{p.Key}={p.Value}"))}}}";
}
