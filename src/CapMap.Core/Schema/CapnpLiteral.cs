using System.Globalization;
using System.Text;

namespace CapMap.Schema;

/// <summary>
/// Values as <c>.capnp</c> literals (field defaults, constants, annotation arguments), in the forms
/// <c>capnp compile</c> reads back to the same bits: <c>inf</c>/<c>nan</c> for non-finite floats, round-trip
/// digits for finite ones, enumerant names, <c>0x"…"</c> for Data, <c>(a = …)</c> for structs, <c>[…]</c> for lists.
/// </summary>
internal static class CapnpLiteral
{
    /// <summary>The literal for <paramref name="value"/> of type <paramref name="type"/> (<see cref="DynamicValueReader"/>'s representation).</summary>
    /// <exception cref="CapnpSchemaException">The value has no literal form (AnyPointer or capability contents, an enum value the enum lacks, a null list element).</exception>
    public static string Format(object? value, TypeSchema type, string where)
    {
        var sb = new StringBuilder();
        Append(sb, value, type, where);
        return sb.ToString();
    }

    /// <summary>A capnp string literal: UTF-8 as it is, quotes, backslashes and control characters escaped.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ' or '\x7f': sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }

    private static void Append(StringBuilder sb, object? value, TypeSchema type, string where)
    {
        switch (type.Kind)
        {
            case TypeKind.Void: sb.Append("void"); return;
            case TypeKind.Bool: sb.Append((bool)value! ? "true" : "false"); return;
            case TypeKind.Float32: sb.Append(Float32((float)value!)); return;
            case TypeKind.Float64: sb.Append(Float64((double)value!)); return;
            case TypeKind.Int8 or TypeKind.Int16 or TypeKind.Int32 or TypeKind.Int64
                or TypeKind.UInt8 or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64:
                sb.Append(((IFormattable)value!).ToString(null, CultureInfo.InvariantCulture));
                return;
            case TypeKind.Text: sb.Append(Quote((string)value!)); return;
            case TypeKind.Data: sb.Append("0x\"").Append(Convert.ToHexString((byte[])value!).ToLowerInvariant()).Append('"'); return;
            case TypeKind.Enum:
                ushort ordinal = (ushort)value!;
                sb.Append(type.EnumType?.GetName(ordinal)
                    ?? throw new CapnpSchemaException($"{where}: enum value {ordinal} is not an enumerant of {type}, so it has no name to write."));
                return;
            case TypeKind.Struct: AppendStruct(sb, (StructValue)value!, where); return;
            case TypeKind.List:
                sb.Append('[');
                var items = (IReadOnlyList<object?>)value!;
                for (int i = 0; i < items.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    if (items[i] is null && type.ElementType!.Kind is not (TypeKind.Void or TypeKind.AnyPointer or TypeKind.Interface))
                        throw new CapnpSchemaException($"{where}: element {i} of a {type} value is a null pointer, which a list literal cannot hold.");
                    Append(sb, items[i], type.ElementType!, where);
                }
                sb.Append(']');
                return;
            default:
                throw new CapnpSchemaException($"{where}: a {type.Kind} value has no literal form in the schema language.");
        }
    }

    /// <summary>
    /// The fields that make the struct read as <paramref name="value"/>: the active union member always (it sets
    /// the discriminant), every other field only where it differs from its default.
    /// </summary>
    private static void AppendStruct(StringBuilder sb, StructValue value, string where)
    {
        if (value.Schema.HasUnion && value.WhichField is null)
            throw new CapnpSchemaException($"{where}: a {value.Schema.DisplayName} value has union discriminant {value.Discriminant}, which names no member.");
        sb.Append('(');
        bool first = true;
        foreach (var field in value.Schema.Fields)
        {
            if (!value.TryGetValue(field.Name, out var v)) continue;
            string? literal = FieldLiteral(field, v, $"{where}.{field.Name}");
            if (literal is null) continue;
            if (!first) sb.Append(", ");
            first = false;
            sb.Append(field.Name).Append(" = ").Append(literal);
        }
        sb.Append(')');
    }

    private static string? FieldLiteral(FieldSchema field, object? value, string where)
    {
        if (field.IsGroup)
        {
            string group = Format(value, field.Type, where);
            return group == "()" ? null : group;
        }
        if (field.IsInUnion) return value is null && field.Type.IsPointer ? null : Format(value, field.Type, where);
        if (value is null || field.Type.Kind == TypeKind.Void) return null;
        if (!field.Type.IsPointer && Equals(value, field.DefaultValue?.Value)) return null;
        if (field.Type.Kind is TypeKind.AnyPointer or TypeKind.Interface) return null;
        return Format(value, field.Type, where);
    }

    private static string Float64(double d) =>
        double.IsNaN(d) ? "nan" : double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf"
        : AsFloat(d.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Digits capnp reads as a float: "-0" would be the integer 0 negated, which loses the sign.</summary>
    private static string AsFloat(string digits) => digits.AsSpan().IndexOfAny('.', 'E') < 0 ? digits + ".0" : digits;

    /// <summary>capnp reads a float literal as a double and narrows it: the shortest float digits when they survive that, else the exact double.</summary>
    private static string Float32(float f)
    {
        if (!float.IsFinite(f)) return Float64(f);
        string shortest = f.ToString("R", CultureInfo.InvariantCulture);
        return AsFloat(BitConverter.SingleToInt32Bits((float)double.Parse(shortest, CultureInfo.InvariantCulture)) == BitConverter.SingleToInt32Bits(f)
            ? shortest
            : ((double)f).ToString("R", CultureInfo.InvariantCulture));
    }
}
