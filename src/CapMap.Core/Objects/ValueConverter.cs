using System.Collections;
using System.Globalization;
using System.Numerics;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Schema.Inference.TypeRows;

namespace CapMap.Objects;

/// <summary>
/// Converts one input value to the .NET type of a schema type; the rules are listed on <see cref="StructWriter"/>.
/// Errors are <see cref="CapnpValueException"/>s with an empty path (the caller adds the field names).
/// Each converter has an exact-type fast path and falls back to a general one.
/// </summary>
internal static class ValueConverter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static CapnpValueException Fail(object? value, string reason) => new("", value, reason);

    private static CapnpValueException OutOfRange(object value, string typeName) =>
        Fail(value, $"{CapnpValueException.Show(value)} is out of range for {typeName}");

    // ---- Bool -------------------------------------------------------------------------------------------

    public static bool ToBool(object value)
    {
        if (value is bool b) return b;
        if (value is string s)
        {
            var t = s.AsSpan().Trim();
            if (t.Equals("true", StringComparison.OrdinalIgnoreCase) || t.Equals("1", StringComparison.Ordinal) || t.Equals("yes", StringComparison.OrdinalIgnoreCase)) return true;
            if (t.Equals("false", StringComparison.OrdinalIgnoreCase) || t.Equals("0", StringComparison.Ordinal) || t.Equals("no", StringComparison.OrdinalIgnoreCase)) return false;
            throw Fail(value, $"{CapnpValueException.Show(value)} is not a Bool (accepted: true/false, 1/0, yes/no)");
        }
        if (IsNumber(value))
        {
            var n = ToInteger(value, "Bool");
            if (n == 0) return false;
            if (n == 1) return true;
        }
        throw Fail(value, $"{CapnpValueException.Show(value)} is not a Bool (accepted: true/false, 1/0, yes/no)");
    }

    // ---- Integers ---------------------------------------------------------------------------------------

    public static sbyte ToInt8(object value) => value is sbyte x ? x : (sbyte)ToSigned(value, sbyte.MinValue, sbyte.MaxValue, "Int8");
    public static short ToInt16(object value) => value is short x ? x : (short)ToSigned(value, short.MinValue, short.MaxValue, "Int16");
    public static int ToInt32(object value) => value is int x ? x : (int)ToSigned(value, int.MinValue, int.MaxValue, "Int32");
    public static long ToInt64(object value) => value is long x ? x : ToSigned(value, long.MinValue, long.MaxValue, "Int64");
    public static byte ToUInt8(object value) => value is byte x ? x : (byte)ToUnsigned(value, byte.MaxValue, "UInt8");
    public static ushort ToUInt16(object value) => value is ushort x ? x : (ushort)ToUnsigned(value, ushort.MaxValue, "UInt16");
    public static uint ToUInt32(object value) => value is uint x ? x : (uint)ToUnsigned(value, uint.MaxValue, "UInt32");
    public static ulong ToUInt64(object value) => value is ulong x ? x : ToUnsigned(value, ulong.MaxValue, "UInt64");

    private static long ToSigned(object value, long min, long max, string typeName)
    {
        long n;
        switch (value)
        {
            case int i: n = i; break;
            case long l: n = l; break;
            case short s: n = s; break;
            case sbyte sb: n = sb; break;
            case byte b: n = b; break;
            case ushort us: n = us; break;
            case uint ui: n = ui; break;
            default:
                Int128 big = ToInteger(value, typeName);
                if (big < min || big > max) throw OutOfRange(value, typeName);
                return (long)big;
        }
        if (n < min || n > max) throw OutOfRange(value, typeName);
        return n;
    }

    private static ulong ToUnsigned(object value, ulong max, string typeName)
    {
        switch (value)
        {
            case int i when i >= 0 && (ulong)i <= max: return (ulong)i;
            case long l when l >= 0 && (ulong)l <= max: return (ulong)l;
            case ulong ul when ul <= max: return ul;
            case uint ui when ui <= max: return ui;
            case byte b: return b;
            case ushort us when us <= max: return us;
        }
        Int128 big = ToInteger(value, typeName);
        if (big < 0 || big > max) throw OutOfRange(value, typeName);
        return (ulong)big;
    }

    private static bool IsNumber(object value) => value is sbyte or byte or short or ushort or int or uint or long or ulong
        or nint or nuint or Int128 or UInt128 or float or double or decimal or Half or BigInteger;

    /// <summary>Any integral number (also integral floats and decimals, numeric strings, .NET enums) as an Int128; range checks are the caller's.</summary>
    private static Int128 ToInteger(object value, string typeName)
    {
        if (TryGetInteger(value, out Int128 integer)) return integer;
        switch (value)
        {
            case double d: return FromDouble(value, d, typeName);
            case float f: return FromDouble(value, f, typeName);
            case Half h: return FromDouble(value, (double)h, typeName);
            case decimal m:
                if (m != decimal.Truncate(m)) throw NotInteger(value, typeName);
                return (Int128)m;
            case UInt128: // above Int128.MaxValue (the rest are integers above), so above every field's range
                throw OutOfRange(value, typeName);
            case BigInteger bi:
                if (bi < (BigInteger)Int128.MinValue || bi > (BigInteger)Int128.MaxValue) throw OutOfRange(value, typeName);
                return (Int128)bi;
            case string str:
                return ParseInteger(value, str, typeName);
            case bool:
                throw Fail(value, $"a Bool ({CapnpValueException.Show(value)}) does not convert to {typeName}");
            case Enum e:
                return (Int128)Convert.ToDecimal(e, Inv);
            // An instant with an offset is the same instant as a DateTime: ticks since 1970-01-01 UTC.
            case DateTimeOffset dto:
                return DateTimeRow.ToUnixTicks(dto);
            // The type table's own Int64 units (DateTime, TimeSpan), so one type has one rule: 100 ns ticks.
            case var _ when ClrTypeTable.RowOf(value) is { Capnp: TypeKind.Int64, Number: null } row:
                return (long)row.Store(value);
            default:
                throw Fail(value, $"cannot convert {CapnpValueException.Show(value)} to {typeName}");
        }
    }

    /// <summary>The .NET integer types (not bool, char or enums), widened without loss.</summary>
    private static bool TryGetInteger(object value, out Int128 result)
    {
        switch (value)
        {
            case int i: result = i; return true;
            case long l: result = l; return true;
            case uint ui: result = ui; return true;
            case ulong ul: result = ul; return true;
            case short s: result = s; return true;
            case ushort us: result = us; return true;
            case sbyte sb: result = sb; return true;
            case byte b: result = b; return true;
            case nint ni: result = ni; return true;
            case nuint nu: result = nu; return true;
            case Int128 i128: result = i128; return true;
            case UInt128 u128 when u128 <= (UInt128)Int128.MaxValue: result = (Int128)u128; return true;
            default: result = 0; return false;
        }
    }

    private static CapnpValueException NotInteger(object value, string typeName) =>
        Fail(value, $"{CapnpValueException.Show(value)} is not an integer, so it cannot be stored in {typeName} (no rounding)");

    private static Int128 FromDouble(object value, double d, string typeName)
    {
        if (!double.IsFinite(d)) throw Fail(value, $"{CapnpValueException.Show(value)} is not a finite number, so it cannot be stored in {typeName}");
        if (d != Math.Floor(d)) throw NotInteger(value, typeName);
        if (d < -1.7e38 || d > 1.7e38) throw OutOfRange(value, typeName);
        return (Int128)d;
    }

    private static Int128 ParseInteger(object value, string text, string typeName)
    {
        var t = text.AsSpan().Trim();
        BigInteger parsed;
        var unsigned = t.Length > 0 && (t[0] == '-' || t[0] == '+') ? t[1..] : t;
        if (unsigned.Length > 2 && unsigned[0] == '0' && (unsigned[1] == 'x' || unsigned[1] == 'X'))
        {
            // "0x1F": prefix a 0 so the hex parser never reads the top bit as a sign.
            var digits = unsigned[2..];
            if (!BigInteger.TryParse("0" + digits.ToString(), NumberStyles.AllowHexSpecifier, Inv, out parsed))
                throw Fail(value, $"{CapnpValueException.Show(value)} is not a valid hexadecimal {typeName}");
            if (t[0] == '-') parsed = -parsed;
        }
        else if (!BigInteger.TryParse(t, NumberStyles.Integer, Inv, out parsed))
        {
            // "2.0" or "1e3" are integers written as decimals; "2.5" is not.
            if (decimal.TryParse(t, NumberStyles.Float, Inv, out decimal m))
            {
                if (m != decimal.Truncate(m)) throw NotInteger(value, typeName);
                parsed = (BigInteger)m;
            }
            else if (double.TryParse(t, NumberStyles.Float, Inv, out double d))
            {
                if (!double.IsFinite(d)) throw Fail(value, $"{CapnpValueException.Show(value)} is not a finite number, so it cannot be stored in {typeName}");
                if (d != Math.Floor(d)) throw NotInteger(value, typeName);
                parsed = new BigInteger(d);
            }
            else
            {
                throw Fail(value, $"{CapnpValueException.Show(value)} is not a valid {typeName}");
            }
        }
        if (parsed < (BigInteger)Int128.MinValue || parsed > (BigInteger)Int128.MaxValue) throw OutOfRange(value, typeName);
        return (Int128)parsed;
    }

    // ---- Floats -----------------------------------------------------------------------------------------

    public static double ToFloat64(object value)
    {
        switch (value)
        {
            case double d: return d;
            case float f: return f;
            case var _ when TryGetInteger(value, out Int128 integer): return (double)integer;
            case decimal m: return (double)m;
            case Half h: return (double)h;
            case UInt128 u128: return (double)u128;
            case BigInteger bi:
                double r = (double)bi;
                if (!double.IsFinite(r)) throw OutOfRange(value, "Float64");
                return r;
            case string str: return ParseDouble(value, str, "Float64");
            // Durations in a float field are seconds, the unit a reader expects of a float (cpuSeconds = 1.5).
            case TimeSpan ts: return ts.TotalSeconds;
            case DateTime or DateTimeOffset:
                throw Fail(value, $"cannot convert {CapnpValueException.Show(value)} to a float (an instant goes into Int64 as 100 ns ticks since 1970-01-01 UTC, or into Text)");
            default: return (double)ToInteger(value, "Float64");
        }
    }

    public static float ToFloat32(object value)
    {
        if (value is float f) return f;
        double d = value is double dd ? dd : value is string s ? ParseDouble(value, s, "Float32") : ToFloat64(value);
        float r = (float)d;
        if (float.IsInfinity(r) && !double.IsInfinity(d)) throw OutOfRange(value, "Float32");
        return r;
    }

    private static double ParseDouble(object value, string text, string typeName)
    {
        var t = text.AsSpan().Trim();
        if (double.TryParse(t, NumberStyles.Float, Inv, out double d)) return d;
        if (t.Equals("nan", StringComparison.OrdinalIgnoreCase)) return double.NaN;
        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("+inf", StringComparison.OrdinalIgnoreCase)
            || t.Equals("infinity", StringComparison.OrdinalIgnoreCase) || t.Equals("+infinity", StringComparison.OrdinalIgnoreCase))
            return double.PositiveInfinity;
        if (t.Equals("-inf", StringComparison.OrdinalIgnoreCase) || t.Equals("-infinity", StringComparison.OrdinalIgnoreCase))
            return double.NegativeInfinity;
        throw Fail(value, $"{CapnpValueException.Show(value)} is not a valid {typeName}");
    }

    // ---- Enums ------------------------------------------------------------------------------------------

    public static ushort ToEnum(object value, EnumSchema schema)
    {
        switch (value)
        {
            case string s:
            {
                var name = s.Trim();
                if (schema.TryGetEnumerant(name, out var e)) return e.Ordinal;
                if (name.Length > 0 && (char.IsAsciiDigit(name[0]) || name[0] is '-' or '+'))
                    return DefinedOrdinal(value, ToInteger(value, schema.ShortName), schema);
                throw Fail(value, $"{CapnpValueException.Show(value)} is not an enumerant of {schema.ShortName} ({EnumerantList(schema)})");
            }
            case Enum dotnetEnum:
            {
                // By name, never by value: .NET and capnp number their members independently. A combined [Flags]
                // value ("Read, Write") is one name only if the enum declares it.
                string name = dotnetEnum.ToString();
                if (schema.TryGetEnumerant(name, out var e)) return e.Ordinal;
                throw Fail(value, $"{CapnpValueException.Show(value)}: {name} is not an enumerant of {schema.ShortName} ({EnumerantList(schema)})");
            }
            case bool:
                throw Fail(value, $"a Bool ({CapnpValueException.Show(value)}) does not convert to enum {schema.ShortName}");
            case DateTime or DateTimeOffset or TimeSpan:
                throw Fail(value, $"cannot convert {CapnpValueException.Show(value)} to enum {schema.ShortName}");
            default:
                return DefinedOrdinal(value, ToInteger(value, schema.ShortName), schema);
        }
    }

    private static ushort DefinedOrdinal(object value, Int128 n, EnumSchema schema)
    {
        if (n < 0 || n >= schema.Enumerants.Count)
            throw Fail(value, $"{CapnpValueException.Show(value)} is not a defined value of enum {schema.ShortName} (0..{schema.Enumerants.Count - 1}: {EnumerantList(schema)})");
        return (ushort)n;
    }

    private static string EnumerantList(EnumSchema schema) => string.Join(", ", schema.Enumerants.Select(e => e.Name));

    // ---- Text and Data ----------------------------------------------------------------------------------

    public static string ToText(object value) => value switch
    {
        string s => s,
        char c => c.ToString(),
        bool b => b ? "true" : "false",
        Enum e => e.ToString(),
        IFormattable f when IsNumber(value) => f.ToString(null, Inv),
        _ => ClrTypeTable.RowOf(value) is { } row
            // The type table's text forms: ISO 8601 round-trip dates, invariant durations, Guids, base64 bytes ...
            ? row.ToText(value)
            : throw Fail(value, $"cannot convert {CapnpValueException.Show(value)} to Text (strings, characters, Bools, numbers, dates, durations, Guids, versions, URIs, IP addresses and byte arrays convert; format other values as strings first)"),
    };

    public static ReadOnlyMemory<byte> ToData(object value, Func<object?, object?>? unwrap)
    {
        switch (value)
        {
            case byte[] bytes: return bytes;
            case ArraySegment<byte> segment: return segment;
            case ReadOnlyMemory<byte> rom: return rom;
            case Memory<byte> memory: return memory;
            // The type table's Data rows (Guid: its 16 bytes in RFC 4122 order).
            case var _ when ClrTypeTable.RowOf(value) is { Capnp: TypeKind.Data } row: return (byte[])row.Store(value);
            case string s:
                try
                {
                    return Convert.FromBase64String(s.Trim());
                }
                catch (FormatException)
                {
                    throw Fail(value, $"{CapnpValueException.Show(value)} is not valid base64 (a string given for Data is decoded as base64)");
                }
            case IDictionary:
                throw Fail(value, $"cannot convert {CapnpValueException.Show(value)} to Data (give a byte[], a Guid, a list of byte values or a base64 string)");
            case IEnumerable items:
            {
                var result = new List<byte>();
                int i = 0;
                foreach (var raw in items)
                {
                    var item = unwrap is null ? raw : unwrap(raw);
                    try
                    {
                        if (item is null) throw Fail(null, "null is not a byte value");
                        result.Add(ToUInt8(item));
                    }
                    catch (CapnpValueException ex)
                    {
                        throw ex.WithParent($"[{i}]");
                    }
                    i++;
                }
                return result.ToArray();
            }
            default:
                throw Fail(value, $"cannot convert {CapnpValueException.Show(value)} to Data (give a byte[], a Guid, a list of byte values or a base64 string)");
        }
    }
}
