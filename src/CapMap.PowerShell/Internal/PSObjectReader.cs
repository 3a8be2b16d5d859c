using System.Management.Automation;
using CapMap.Schema;

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
