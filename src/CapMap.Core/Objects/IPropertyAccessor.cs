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

/// <summary>
/// An accessor that reads all of a struct's fields of an object in one go, with the name matching done once
/// per input shape (a PSCustomObject's property-name sequence, a .NET type) instead of once per field per record.
/// <see cref="StructPlan"/> keeps the last binding and asks for a new one only when an object does not fit it.
/// </summary>
public interface IPropertyBinder
{
    /// <summary>A reader of <paramref name="names"/> (matched case-insensitively) for objects shaped like <paramref name="source"/>; null to read this object name by name.</summary>
    PropertyBinding? Bind(object source, IReadOnlyList<string> names);
}

/// <summary>The values of a fixed list of names for objects of one shape (see <see cref="IPropertyBinder"/>). Immutable and thread-safe.</summary>
public abstract class PropertyBinding
{
    /// <summary>
    /// Fills <c>values[i]</c> with the value of the i-th bound name (null when the object has no such property or
    /// its getter throws); false, with nothing promised about <paramref name="values"/>, when the object is not of
    /// this binding's shape.
    /// </summary>
    public abstract bool TryRead(object source, object?[] values);
}
