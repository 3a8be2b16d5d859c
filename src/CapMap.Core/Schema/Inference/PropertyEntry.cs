namespace CapMap.Schema.Inference;

/// <summary>
/// The entry struct of a <see cref="ClrKind.Properties"/> field: the map convention of <see cref="MapEntry"/>
/// (<c>{ key :Text; value :V }</c>) and the property's <c>position</c> among its object's properties, so an object
/// whose rare properties are entries comes back with its properties in its own order.
/// </summary>
public static class PropertyEntry
{
    /// <summary>Name of the field holding the index of the property among its object's properties (0 first).</summary>
    public const string Position = "position";

    /// <summary>Name the struct gives the field of its rare properties (numbered like any name if a property has it).</summary>
    public const string FieldName = "otherProperties";

    /// <summary>True if <paramref name="clr"/> says a list field holds an object's rare properties.</summary>
    public static bool IsProperties(ClrTypeInfo? clr) => clr?.Kind == ClrKind.Properties;

    /// <summary>A new entry struct for values of <paramref name="value"/>'s type: key, value, position, and the value's null flag if it has data.</summary>
    public static InferredStruct Create(string name, InferredField value)
    {
        var key = new InferredField(MapEntry.Key, InferredType.Of(TypeKind.Text), ClrTypeInfo.Scalar("String"));
        var position = new InferredField(Position, InferredType.Of(TypeKind.UInt32), ClrTypeInfo.Scalar("UInt32"));
        // Only the value can be null; the key and position are always there, so they get no flag.
        InferredField[] fields = InferredField.IsDataKind(value.Type.Kind) ? [key, value, position, InferredField.NullFlagOf(value)] : [key, value, position];
        return new InferredStruct(name, fields);
    }

    /// <summary>The key, value and position fields of an entry struct; null if the struct is not one (the list then reads as a list of objects).</summary>
    public static (InferredField Key, InferredField Value, InferredField Position)? FieldsOf(InferredStruct entry)
    {
        InferredField? key = null, value = null, position = null;
        foreach (var f in entry.Fields)
        {
            if (f.IsFlag) continue;
            if (f.Name == MapEntry.Key && f.Type.Kind == TypeKind.Text) key = f;
            else if (f.Name == MapEntry.Value) value = f;
            else if (f.Name == Position && f.Type.Kind == TypeKind.UInt32) position = f;
            else return null;
        }
        return key is not null && value is not null && position is not null ? (key, value, position) : null;
    }

    /// <summary>The struct's field of rare properties (a List of entries whose <c>$clrType</c> says Properties); null if it has none.</summary>
    public static InferredField? FieldOf(InferredStruct s)
    {
        foreach (var f in s.Fields)
            if (IsProperties(f.Clr) && f.Type is { Kind: TypeKind.List, Element: { Kind: TypeKind.Struct, Struct: { } entry } } && FieldsOf(entry) is not null)
                return f;
        return null;
    }
}
