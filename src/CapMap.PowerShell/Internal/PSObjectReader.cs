using System.Management.Automation;
using CapMap.Schema;
using CapMap.Schema.Inference;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// Turns decoded structs into PSCustomObjects: enums as their names, Data as byte[], lists as arrays, a union
/// as the one member that is set, groups and structs as nested objects.
/// </summary>
internal static class PSObjectReader
{
    public static PSObject FromStruct(StructValue value)
    {
        var result = new PSObject();
        var properties = result.Properties;
        foreach (var entry in value)
        {
            if (!value.Schema.TryGetField(entry.Key, out var field))
            {
                properties.Add(new PSNoteProperty(entry.Key, entry.Value), preValidated: true);
                continue;
            }
            object? converted = field.IsGroup
                ? entry.Value is StructValue group ? FromStruct(group) : null
                : Convert(entry.Value, field.Type);
            properties.Add(new PSNoteProperty(field.Name, converted), preValidated: true); // names come from the schema: unique, no need to re-check
        }
        return result;
    }

    /// <summary>
    /// A record of an inferred schema as a PSCustomObject: its original property names and .NET values; nested
    /// objects as PSCustomObjects; an object whose type was recorded carries <c>Deserialized.</c> and that name
    /// first in its type names, as objects read back from CliXml do, so the type's format views apply.
    /// </summary>
    public static PSObject FromRecord(ObjectRecord record)
    {
        var result = new PSObject();
        if (record.TypeName is { } type && type != typeof(PSCustomObject).FullName)
            result.TypeNames.Insert(0, type.StartsWith("Deserialized.", StringComparison.Ordinal) ? type : "Deserialized." + type);
        var properties = result.Properties;
        foreach (var (name, value) in record)
        {
            if (properties[name] is not null) continue; // names differing only by case: PowerShell objects keep the first
            properties.Add(new PSNoteProperty(name, FromRecordValue(value)));
        }
        return result;
    }

    private static object? FromRecordValue(object? value)
    {
        switch (value)
        {
            case ObjectRecord nested:
                return FromRecord(nested);
            case System.Collections.IDictionary dictionary:
                foreach (var key in dictionary.Keys.Cast<object>().ToList())
                    if (dictionary[key] is ObjectRecord or object[] or System.Collections.IDictionary)
                        dictionary[key] = FromRecordValue(dictionary[key]);
                return dictionary;
            case object?[] items:
                for (int i = 0; i < items.Length; i++) items[i] = FromRecordValue(items[i]);
                return items;
            default:
                return value;
        }
    }

    private static object? Convert(object? value, TypeSchema type)
    {
        switch (type.Kind)
        {
            case TypeKind.Enum:
                return value is ushort ordinal ? type.EnumType?.GetName(ordinal) ?? (object)ordinal : value;
            case TypeKind.Struct:
                return value is StructValue s ? FromStruct(s) : null;
            case TypeKind.List:
                if (value is not IReadOnlyList<object?> list) return null;
                var element = type.ElementType!;
                if (element.Kind is not (TypeKind.Enum or TypeKind.Struct or TypeKind.List))
                    return list.ToArray();
                var items = new object?[list.Count];
                for (int i = 0; i < items.Length; i++) items[i] = Convert(list[i], element);
                return items;
            default:
                return value;
        }
    }
}
