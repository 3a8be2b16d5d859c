namespace CapMap.Objects;

/// <summary>
/// Reads the properties of an input object for <see cref="StructWriter"/>. Names are matched
/// case-insensitively. The PowerShell layer supplies one for <c>PSObject</c>; <see cref="DefaultPropertyAccessor"/>
/// handles dictionaries, <see cref="Schema.StructValue"/> and plain .NET objects.
/// </summary>
public interface IPropertyAccessor
{
    /// <summary>
    /// Gets the property <paramref name="name"/> (case-insensitive) of <paramref name="source"/>.
    /// Returns false when the object has no such property; a property that exists with a null value may
    /// return either true with null or false (both leave the field at its default).
    /// </summary>
    bool TryGetValue(object source, string name, out object? value);

    /// <summary>Names of all properties of <paramref name="source"/> (used by strict mode to report unknown ones).</summary>
    IEnumerable<string> GetNames(object source);
}
