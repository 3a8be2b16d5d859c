using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CapMap.Schema;
using Xunit.Sdk;

namespace CapMap.Tests.Interop;

/// <summary>
/// Compares the JSON written by <c>capnp convert binary:json</c> with expected values, using a schema.
/// capnp's JSON conventions (0.9.2): Int64/UInt64 are strings; NaN and ±Infinity are the strings "NaN", "Infinity",
/// "-Infinity"; Data is an array of byte numbers; enums are enumerant names (a number if unknown); Void is null;
/// groups and named unions are nested objects; the active member of the unnamed union is a property of the struct;
/// null pointer fields are omitted.
/// <para>
/// Expected values use <see cref="DynamicValueReader"/>'s representation, loosened for hand-written expectations:
/// any .NET integer type for integers, float/double for floats, an enumerant name or ordinal for enums,
/// string for Text, byte[] (or any IEnumerable of numbers) for Data, any IEnumerable for lists, and any
/// <c>IReadOnlyDictionary&lt;string, object?&gt;</c> (e.g. <see cref="StructValue"/>) or
/// <c>IDictionary&lt;string, object?&gt;</c> for structs and groups.
/// </para>
/// </summary>
internal static class JsonValues
{
    private static readonly JsonElement EmptyObject = Parse("{}");

    public static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public static JsonElement Parse(byte[] utf8Json)
    {
        using var doc = JsonDocument.Parse(utf8Json);
        return doc.RootElement.Clone();
    }

    public static long ToInt64(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? long.Parse(e.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
        : e.GetInt64();

    public static ulong ToUInt64(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? ulong.Parse(e.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture)
        : e.GetUInt64();

    public static double ToDouble(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s!, NumberStyles.Float, CultureInfo.InvariantCulture),
        },
        _ => throw new XunitException($"Expected a JSON number, got {e.ValueKind}: {e.GetRawText()}"),
    };

    public static float ToSingle(JsonElement e) => (float)ToDouble(e);

    public static byte[] ToData(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array)
            throw new XunitException($"Expected a JSON array of bytes (capnp's Data encoding), got {e.ValueKind}: {e.GetRawText()}");
        return e.EnumerateArray().Select(b => b.GetByte()).ToArray();
    }

    /// <summary>Asserts a JSON object (capnp binary:json) holds the expected struct.</summary>
    /// <param name="exact">
    /// Also require every JSON property to be expected. Properties missing from the JSON are accepted only where the
    /// expected value is null or the field's default (capnp omits null pointers).
    /// </param>
    public static void AssertStruct(JsonElement json, object expected, StructSchema schema, bool exact = true, string path = "$")
    {
        if (json.ValueKind != JsonValueKind.Object)
            throw new XunitException($"{path}: expected a JSON object for {schema.DisplayName}, got {json.ValueKind}: {json.GetRawText()}");
        var expectedFields = ToDictionary(expected, path);
        foreach (var (name, value) in expectedFields)
        {
            var field = schema.TryGetField(name, out var f) ? f
                : throw new XunitException($"{path}: {schema.DisplayName} has no field '{name}'.");
            string fieldPath = $"{path}.{field.Name}";
            if (!json.TryGetProperty(field.Name, out var prop))
            {
                if (field.IsGroup && value is not null)
                {
                    // A group left out of the JSON: all its members must hold their defaults.
                    AssertStruct(EmptyObject, value, field.GroupType!, exact, fieldPath);
                    continue;
                }
                if (value is null || IsFieldDefault(field, value)) continue;
                throw new XunitException($"{fieldPath}: missing from the JSON, expected {Show(value)}.\nJSON: {json.GetRawText()}");
            }
            if (field.IsGroup)
                AssertStruct(prop, value ?? throw new XunitException($"{fieldPath}: a group cannot be expected null"), field.GroupType!, exact, fieldPath);
            else
                AssertValue(prop, value, field.Type, fieldPath, exact);
        }
        if (exact)
        {
            foreach (var prop in json.EnumerateObject())
                if (!expectedFields.ContainsKey(prop.Name))
                    throw new XunitException($"{path}.{prop.Name}: in the JSON ({prop.Value.GetRawText()}) but not expected.");
        }
    }

    /// <summary>Asserts a JSON value equals the expected value of the given type.</summary>
    public static void AssertValue(JsonElement json, object? expected, TypeSchema type, string path = "$", bool exact = true)
    {
        void Fail(string why) => throw new XunitException($"{path}: {why} (type {type}); JSON {json.GetRawText()}, expected {Show(expected)}");

        if (expected is null)
        {
            if (json.ValueKind != JsonValueKind.Null) Fail("expected null / Void");
            return;
        }
        switch (type.Kind)
        {
            case TypeKind.Void:
                if (json.ValueKind != JsonValueKind.Null) Fail("Void must be null");
                return;
            case TypeKind.Bool:
                if (json.ValueKind is not (JsonValueKind.True or JsonValueKind.False) || json.GetBoolean() != (bool)expected) Fail("Bool differs");
                return;
            case TypeKind.Int8 or TypeKind.Int16 or TypeKind.Int32 or TypeKind.Int64:
                if (ToInt64(json) != System.Convert.ToInt64(expected, CultureInfo.InvariantCulture)) Fail("integer differs");
                return;
            case TypeKind.UInt8 or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64:
                if (ToUInt64(json) != System.Convert.ToUInt64(expected, CultureInfo.InvariantCulture)) Fail("integer differs");
                return;
            case TypeKind.Float32:
            {
                float actual = ToSingle(json), want = System.Convert.ToSingle(expected, CultureInfo.InvariantCulture);
                if (BitConverter.SingleToInt32Bits(actual) != BitConverter.SingleToInt32Bits(want) && !(float.IsNaN(actual) && float.IsNaN(want)))
                    Fail("Float32 differs");
                return;
            }
            case TypeKind.Float64:
            {
                double actual = ToDouble(json), want = System.Convert.ToDouble(expected, CultureInfo.InvariantCulture);
                if (BitConverter.DoubleToInt64Bits(actual) != BitConverter.DoubleToInt64Bits(want) && !(double.IsNaN(actual) && double.IsNaN(want)))
                    Fail("Float64 differs");
                return;
            }
            case TypeKind.Text:
                if (json.ValueKind != JsonValueKind.String || json.GetString() != (string)expected) Fail("Text differs");
                return;
            case TypeKind.Data:
            {
                byte[] want = expected as byte[] ?? ((IEnumerable)expected).Cast<object>().Select(o => System.Convert.ToByte(o, CultureInfo.InvariantCulture)).ToArray();
                if (!ToData(json).AsSpan().SequenceEqual(want)) Fail("Data differs");
                return;
            }
            case TypeKind.Enum:
            {
                var schema = type.EnumType!;
                ushort want = expected is string name ? schema.GetEnumerant(name).Ordinal : System.Convert.ToUInt16(expected, CultureInfo.InvariantCulture);
                ushort actual = json.ValueKind == JsonValueKind.String
                    ? schema.TryGetEnumerant(json.GetString()!, out var e) ? e.Ordinal : throw new XunitException($"{path}: unknown enumerant {json.GetString()}")
                    : json.GetUInt16();
                if (actual != want) Fail("enum differs");
                return;
            }
            case TypeKind.Struct:
                AssertStruct(json, expected, type.StructType!, exact, path);
                return;
            case TypeKind.List:
            {
                if (json.ValueKind != JsonValueKind.Array) Fail("expected an array");
                var items = ((IEnumerable)expected).Cast<object?>().ToList();
                int n = json.GetArrayLength();
                if (n != items.Count) Fail($"list length {n} != expected {items.Count}");
                int i = 0;
                foreach (var element in json.EnumerateArray())
                {
                    AssertValue(element, items[i], type.ElementType!, $"{path}[{i}]", exact);
                    i++;
                }
                return;
            }
            default:
                Fail($"{type.Kind} values cannot be compared");
                return;
        }
    }

    /// <summary>
    /// Writes a value (same representation as the expected values above) as JSON that <c>capnp convert json:binary</c>
    /// accepts: 64-bit integers as strings, non-finite floats as "NaN"/"Infinity"/"-Infinity", Data as a byte array,
    /// enums by name, and non-ASCII text as raw UTF-8 (capnp 0.9.2 mangles <c>\u</c> escapes above U+007F).
    /// </summary>
    public static string ToCapnpJson(object? value, TypeSchema type)
    {
        var sb = new StringBuilder();
        WriteJson(sb, value, type);
        return sb.ToString();
    }

    /// <summary>Writes a struct given as a name → value dictionary (see <see cref="ToCapnpJson(object?, TypeSchema)"/>).</summary>
    public static string ToCapnpJson(IReadOnlyDictionary<string, object?> value, StructSchema schema)
    {
        var sb = new StringBuilder();
        WriteStruct(sb, value, schema);
        return sb.ToString();
    }

    private static void WriteStruct(StringBuilder sb, object value, StructSchema schema)
    {
        sb.Append('{');
        bool first = true;
        foreach (var (name, v) in ToDictionary(value, "$"))
        {
            var field = schema.GetField(name);
            if (v is null && field.Type.IsPointer) continue; // a null pointer is written by omission
            if (!first) sb.Append(", ");
            first = false;
            WriteString(sb, field.Name);
            sb.Append(": ");
            if (field.IsGroup) WriteStruct(sb, v!, field.GroupType!);
            else WriteJson(sb, v, field.Type);
        }
        sb.Append('}');
    }

    private static void WriteJson(StringBuilder sb, object? value, TypeSchema type)
    {
        var inv = CultureInfo.InvariantCulture;
        if (value is null)
        {
            sb.Append("null");
            return;
        }
        switch (type.Kind)
        {
            case TypeKind.Void: sb.Append("null"); break;
            case TypeKind.Bool: sb.Append((bool)value ? "true" : "false"); break;
            case TypeKind.Int8 or TypeKind.Int16 or TypeKind.Int32:
                sb.Append(System.Convert.ToInt64(value, inv).ToString(inv)); break;
            case TypeKind.UInt8 or TypeKind.UInt16 or TypeKind.UInt32:
                sb.Append(System.Convert.ToUInt64(value, inv).ToString(inv)); break;
            case TypeKind.Int64: WriteString(sb, System.Convert.ToInt64(value, inv).ToString(inv)); break;
            case TypeKind.UInt64: WriteString(sb, System.Convert.ToUInt64(value, inv).ToString(inv)); break;
            case TypeKind.Float32 or TypeKind.Float64:
            {
                double d = type.Kind == TypeKind.Float32 ? System.Convert.ToSingle(value, inv) : System.Convert.ToDouble(value, inv);
                if (double.IsNaN(d)) WriteString(sb, "NaN");
                else if (double.IsPositiveInfinity(d)) WriteString(sb, "Infinity");
                else if (double.IsNegativeInfinity(d)) WriteString(sb, "-Infinity");
                else sb.Append(d.ToString("R", inv));
                break;
            }
            case TypeKind.Text: WriteString(sb, (string)value); break;
            case TypeKind.Data:
            {
                var bytes = value as byte[] ?? ((IEnumerable)value).Cast<object>().Select(o => System.Convert.ToByte(o, inv)).ToArray();
                sb.Append('[').AppendJoin(", ", bytes).Append(']');
                break;
            }
            case TypeKind.Enum:
                if (value is string name) WriteString(sb, name);
                else
                {
                    ushort ordinal = System.Convert.ToUInt16(value, inv);
                    if (type.EnumType!.GetName(ordinal) is { } n) WriteString(sb, n);
                    else sb.Append(ordinal.ToString(inv));
                }
                break;
            case TypeKind.Struct: WriteStruct(sb, value, type.StructType!); break;
            case TypeKind.List:
            {
                sb.Append('[');
                bool first = true;
                foreach (var item in (IEnumerable)value)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    WriteJson(sb, item, type.ElementType!);
                }
                sb.Append(']');
                break;
            }
            default:
                throw new ArgumentException($"{type.Kind} values cannot be written as capnp JSON.");
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    private static bool IsFieldDefault(FieldSchema field, object value)
    {
        if (field.IsGroup || field.DefaultValue?.Value is not { } def) return false;
        return def switch
        {
            byte[] d => value is byte[] v && d.AsSpan().SequenceEqual(v),
            IEnumerable when def is not string => ReferenceEquals(def, value),
            _ => def.Equals(value),
        };
    }

    private static IReadOnlyDictionary<string, object?> ToDictionary(object expected, string path) => expected switch
    {
        IReadOnlyDictionary<string, object?> d => d,
        IDictionary<string, object?> d => d.ToDictionary(kv => kv.Key, kv => kv.Value),
        _ => throw new XunitException($"{path}: expected value for a struct must be a dictionary, got {expected.GetType()}"),
    };

    private static string Show(object? v) => v switch
    {
        null => "null",
        string s => $"\"{s}\"",
        byte[] b => $"0x{System.Convert.ToHexString(b)}",
        IEnumerable e and not string => $"[{string.Join(", ", e.Cast<object?>().Select(Show))}]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
