using System.Globalization;
using System.Net;

namespace CapMap.Schema.Inference;

/// <summary>
/// The type table: which Cap'n Proto type each scalar .NET type infers to, how a value is written into it and how
/// it is read back (docs/object-conversion.md, "Schema inference and the type table").
/// </summary>
internal static class ClrTypeTable
{
    /// <summary>DateTime values are stored as ticks since this instant.</summary>
    public static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>The scalar kind of a value, or null if it is not a scalar of the table (a collection, dictionary or object).</summary>
    public static ClrTypeInfo? Classify(object value) => value switch
    {
        bool => Info(ClrKind.Boolean),
        sbyte => Info(ClrKind.SByte),
        byte => Info(ClrKind.Byte),
        short => Info(ClrKind.Int16),
        ushort => Info(ClrKind.UInt16),
        int => Info(ClrKind.Int32),
        uint => Info(ClrKind.UInt32),
        long => Info(ClrKind.Int64),
        ulong => Info(ClrKind.UInt64),
        float => Info(ClrKind.Single),
        double => Info(ClrKind.Double),
        decimal => Info(ClrKind.Decimal),
        string => Info(ClrKind.String),
        char => Info(ClrKind.Char),
        DateTime d => new ClrTypeInfo(ClrKind.DateTime, d.Kind.ToString()),
        DateTimeOffset => Info(ClrKind.DateTimeOffset),
        TimeSpan => Info(ClrKind.TimeSpan),
        Guid => Info(ClrKind.Guid),
        Version => Info(ClrKind.Version),
        Uri => Info(ClrKind.Uri),
        IPAddress => Info(ClrKind.IPAddress),
        Enum e => new ClrTypeInfo(ClrKind.Enum, EnumTypeName(e.GetType())),
        byte[] => Info(ClrKind.Bytes),
        _ => null,
    };

    /// <summary>The scalar kind of a declared type (for the element of an empty <c>T[]</c> or <c>List&lt;T&gt;</c>); null if not a table scalar.</summary>
    public static ClrTypeInfo? Classify(Type type)
    {
        if (type.IsEnum) return new ClrTypeInfo(ClrKind.Enum, EnumTypeName(type));
        if (type == typeof(DateTime)) return new ClrTypeInfo(ClrKind.DateTime, nameof(DateTimeKind.Unspecified));
        return ScalarTypes.TryGetValue(type, out var kind) ? Info(kind) : null;
    }

    private static readonly Dictionary<Type, ClrKind> ScalarTypes = new()
    {
        [typeof(bool)] = ClrKind.Boolean, [typeof(sbyte)] = ClrKind.SByte, [typeof(byte)] = ClrKind.Byte,
        [typeof(short)] = ClrKind.Int16, [typeof(ushort)] = ClrKind.UInt16, [typeof(int)] = ClrKind.Int32,
        [typeof(uint)] = ClrKind.UInt32, [typeof(long)] = ClrKind.Int64, [typeof(ulong)] = ClrKind.UInt64,
        [typeof(float)] = ClrKind.Single, [typeof(double)] = ClrKind.Double, [typeof(decimal)] = ClrKind.Decimal,
        [typeof(string)] = ClrKind.String, [typeof(char)] = ClrKind.Char, [typeof(DateTimeOffset)] = ClrKind.DateTimeOffset,
        [typeof(TimeSpan)] = ClrKind.TimeSpan, [typeof(Guid)] = ClrKind.Guid, [typeof(Version)] = ClrKind.Version,
        [typeof(Uri)] = ClrKind.Uri, [typeof(IPAddress)] = ClrKind.IPAddress, [typeof(byte[])] = ClrKind.Bytes,
    };

    /// <summary>The .NET type a scalar kind reads back as; null for kinds without one fixed type.</summary>
    public static Type? ClrType(ClrTypeInfo info) => info.Kind switch
    {
        ClrKind.DateTime => typeof(DateTime),
        ClrKind.Enum => LoadedEnumTypes.Find(info.Argument),
        _ => ScalarTypes.FirstOrDefault(p => p.Value == info.Kind).Key,
    };

    /// <summary>The Cap'n Proto type of a scalar kind.</summary>
    public static TypeKind CapnpKind(ClrKind kind) => kind switch
    {
        ClrKind.Boolean => TypeKind.Bool,
        ClrKind.SByte => TypeKind.Int8,
        ClrKind.Byte => TypeKind.UInt8,
        ClrKind.Int16 => TypeKind.Int16,
        ClrKind.UInt16 => TypeKind.UInt16,
        ClrKind.Int32 => TypeKind.Int32,
        ClrKind.UInt32 => TypeKind.UInt32,
        ClrKind.Int64 or ClrKind.DateTime or ClrKind.TimeSpan => TypeKind.Int64,
        ClrKind.UInt64 => TypeKind.UInt64,
        ClrKind.Single => TypeKind.Float32,
        ClrKind.Double => TypeKind.Float64,
        ClrKind.Guid or ClrKind.Bytes => TypeKind.Data,
        _ => TypeKind.Text,
    };

    /// <summary>
    /// The value to store for <paramref name="value"/> in a field of <paramref name="kind"/> with the given .NET
    /// info: the exact primitive (bool, sbyte .. double), string or byte[] the wire writer takes.
    /// </summary>
    /// <exception cref="InferredValueException">The value does not convert (e.g. text for a number field, an out-of-range number).</exception>
    public static object Encode(object value, TypeKind kind, ClrTypeInfo? info, string where)
    {
        var ic = CultureInfo.InvariantCulture;
        try
        {
            switch (kind)
            {
                case TypeKind.Text: return ToText(value);
                case TypeKind.Data:
                    return value switch
                    {
                        byte[] b => b,
                        Guid g => GuidBytes(g),
                        _ => throw new InferredValueException($"{where}: a {value.GetType().Name} cannot be stored as Data."),
                    };
                case TypeKind.Int64 when value is DateTime dt: return ToUnixTicks(dt);
                case TypeKind.Int64 when value is TimeSpan ts: return ts.Ticks;
                case TypeKind.Bool when value is bool b: return b;
                case TypeKind.Bool: throw new InferredValueException($"{where}: a {value.GetType().Name} is not a Bool.");
            }
            if (value is not IConvertible || value is string or char or DateTime or bool)
                throw new InferredValueException($"{where}: a {value.GetType().Name} ('{ToText(value)}') is not a number for a {kind} field.");
            return kind switch
            {
                TypeKind.Int8 => (object)Convert.ToSByte(value, ic),
                TypeKind.Int16 => (object)Convert.ToInt16(value, ic),
                TypeKind.Int32 => (object)Convert.ToInt32(value, ic),
                TypeKind.Int64 => (object)Convert.ToInt64(value, ic),
                TypeKind.UInt8 => (object)Convert.ToByte(value, ic),
                TypeKind.UInt16 or TypeKind.Enum => (object)Convert.ToUInt16(value, ic),
                TypeKind.UInt32 => (object)Convert.ToUInt32(value, ic),
                TypeKind.UInt64 => (object)Convert.ToUInt64(value, ic),
                TypeKind.Float32 => (object)Convert.ToSingle(value, ic),
                TypeKind.Float64 => (object)Convert.ToDouble(value, ic),
                _ => throw new InferredValueException($"{where}: a {kind} field does not hold scalars."),
            };
        }
        catch (OverflowException e)
        {
            throw new InferredValueException($"{where}: {ToText(value)} does not fit a {kind} field.", e);
        }
    }

    /// <summary>The text form of any value: round-trip and culture-invariant for the table's types, <c>ToString()</c> otherwise.</summary>
    public static string ToText(object value) => value switch
    {
        string s => s,
        DateTime d => d.ToString("o", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("o", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        Uri u => u.OriginalString,
        byte[] b => Convert.ToBase64String(b),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Reads a stored scalar back as the .NET type <paramref name="info"/> names.</summary>
    /// <exception cref="InferredValueException">The stored value does not parse as that type.</exception>
    public static object? Decode(object? stored, ClrTypeInfo info, string where)
    {
        if (stored is null) return null;
        var ic = CultureInfo.InvariantCulture;
        try
        {
            return info.Kind switch
            {
                ClrKind.Boolean => (object)Convert.ToBoolean(stored, ic),
                ClrKind.SByte => (object)Convert.ToSByte(stored, ic),
                ClrKind.Byte => (object)Convert.ToByte(stored, ic),
                ClrKind.Int16 => (object)Convert.ToInt16(stored, ic),
                ClrKind.UInt16 => (object)Convert.ToUInt16(stored, ic),
                ClrKind.Int32 => (object)Convert.ToInt32(stored, ic),
                ClrKind.UInt32 => (object)Convert.ToUInt32(stored, ic),
                ClrKind.Int64 => (object)Convert.ToInt64(stored, ic),
                ClrKind.UInt64 => (object)Convert.ToUInt64(stored, ic),
                ClrKind.Single => (object)Convert.ToSingle(stored, ic),
                ClrKind.Double => (object)Convert.ToDouble(stored, ic),
                ClrKind.Decimal => decimal.Parse((string)stored, NumberStyles.Float, ic),
                ClrKind.String => Convert.ToString(stored, ic),
                ClrKind.Char => ((string)stored) is [var c] ? c : throw new FormatException("not one character"),
                ClrKind.DateTime => FromUnixTicks(Convert.ToInt64(stored, ic), info.Argument),
                ClrKind.DateTimeOffset => DateTimeOffset.ParseExact((string)stored, "o", ic, DateTimeStyles.None),
                ClrKind.TimeSpan => TimeSpan.FromTicks(Convert.ToInt64(stored, ic)),
                ClrKind.Guid => new Guid((byte[])stored, bigEndian: true),
                ClrKind.Version => Version.Parse((string)stored),
                ClrKind.Uri => new Uri((string)stored, UriKind.RelativeOrAbsolute),
                ClrKind.IPAddress => IPAddress.Parse((string)stored),
                ClrKind.Enum => LoadedEnumTypes.Find(info.Argument) is { } t ? Enum.Parse(t, (string)stored) : stored,
                ClrKind.Bytes => (byte[])stored,
                _ => stored,
            };
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw new InferredValueException($"{where}: the stored value '{stored}' does not read back as {info}: {e.Message}", e);
        }
    }

    /// <summary>Ticks (100 ns) since 1970-01-01T00:00:00Z. Local times are converted to UTC; Unspecified ones are taken as UTC.</summary>
    public static long ToUnixTicks(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Ticks - UnixEpochTicks;

    /// <summary>The instant in ticks (100 ns) since 1970-01-01T00:00:00Z, as for a DateTime (the offset only places the instant).</summary>
    public static long ToUnixTicks(DateTimeOffset value) => value.UtcTicks - UnixEpochTicks;

    /// <summary>A Guid's 16 bytes in RFC 4122 order, the order its text form reads in.</summary>
    public static byte[] GuidBytes(Guid value) => value.ToByteArray(bigEndian: true);

    /// <summary>The instant as a DateTime of the recorded kind (Local: converted to local time; Unspecified: the UTC clock reading).</summary>
    public static DateTime FromUnixTicks(long ticks, string? kind)
    {
        var utc = new DateTime(ticks + UnixEpochTicks, DateTimeKind.Utc);
        return kind switch
        {
            nameof(DateTimeKind.Local) => utc.ToLocalTime(),
            nameof(DateTimeKind.Unspecified) => DateTime.SpecifyKind(utc, DateTimeKind.Unspecified),
            _ => utc,
        };
    }

    private static string EnumTypeName(Type t) => $"{t.FullName}, {t.Assembly.GetName().Name}";

    private static ClrTypeInfo Info(ClrKind kind) => KindInfos[(int)kind];

    private static readonly ClrTypeInfo[] KindInfos = Enum.GetValues<ClrKind>()
        .Select(k => k is ClrKind.Array or ClrKind.List or ClrKind.Sequence ? null! : new ClrTypeInfo(k)).ToArray();
}
