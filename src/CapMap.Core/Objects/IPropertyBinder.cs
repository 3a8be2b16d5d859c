namespace CapMap.Objects;

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
