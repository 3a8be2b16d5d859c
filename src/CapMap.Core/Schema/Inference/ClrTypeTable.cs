using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using CapMap.Schema.Inference.TypeRows;

namespace CapMap.Schema.Inference;

/// <summary>
/// The type table: the list of its rows (one <see cref="ClrTypeRow"/> per .NET type, in <see cref="Rows"/>), the
/// lookups that find a value's row, and the conversions codecs use where a value and its field's row differ
/// (docs/object-conversion.md, "Schema inference and the type table"). A value whose type has a row is a plain
/// value, a scalar, everywhere in CapMap: it is never read by its properties.
/// </summary>
internal static class ClrTypeTable
{
    /// <summary>The rows, one line per .NET type; add a type here (after its row class).</summary>
    /// <remarks>
    /// The 128-bit bounds are written as BigInteger arithmetic, not as Int128.MinValue and the like: ReadyToRun does
    /// not compile code that handles Int128 values, so that made this whole initializer JIT-compiled in every process.
    /// </remarks>
    private static readonly ClrTypeRow[] Rows =
    [
        new BooleanRow(),
        new IntegerRow("SByte", typeof(sbyte), TypeKind.Int8, sbyte.MinValue, sbyte.MaxValue, (s, f) => sbyte.Parse(s, NumberStyles.Integer, f)),
        new IntegerRow("Byte", typeof(byte), TypeKind.UInt8, byte.MinValue, byte.MaxValue, (s, f) => byte.Parse(s, NumberStyles.Integer, f)),
        new IntegerRow("Int16", typeof(short), TypeKind.Int16, short.MinValue, short.MaxValue, (s, f) => short.Parse(s, NumberStyles.Integer, f)),
        new IntegerRow("UInt16", typeof(ushort), TypeKind.UInt16, ushort.MinValue, ushort.MaxValue, (s, f) => ushort.Parse(s, NumberStyles.Integer, f)),
        new IntegerRow("Int32", typeof(int), TypeKind.Int32, int.MinValue, int.MaxValue, (s, f) => int.Parse(s, NumberStyles.Integer, f)),
        new IntegerRow("UInt32", typeof(uint), TypeKind.UInt32, uint.MinValue, uint.MaxValue, (s, f) => uint.Parse(s, NumberStyles.Integer, f)),
        new IntegerRow("Int64", typeof(long), TypeKind.Int64, long.MinValue, long.MaxValue, (s, f) => long.Parse(s, NumberStyles.Integer, f)),
        new IntegerRow("UInt64", typeof(ulong), TypeKind.UInt64, ulong.MinValue, ulong.MaxValue, (s, f) => ulong.Parse(s, NumberStyles.Integer, f)),
        new IntegerRow("IntPtr", typeof(nint), TypeKind.Int64, nint.MinValue, nint.MaxValue, (s, f) => nint.Parse(s, NumberStyles.Integer, f)),
        new IntegerRow("UIntPtr", typeof(nuint), TypeKind.UInt64, nuint.MinValue, nuint.MaxValue, (s, f) => nuint.Parse(s, NumberStyles.Integer, f)),
        new IntegerRow("Int128", typeof(Int128), TypeKind.Text, -(BigInteger.One << 127), (BigInteger.One << 127) - 1, (s, f) => Int128.Parse(s, NumberStyles.Integer, f)),
        new IntegerRow("UInt128", typeof(UInt128), TypeKind.Text, BigInteger.Zero, (BigInteger.One << 128) - 1, (s, f) => UInt128.Parse(s, NumberStyles.Integer, f)),
        new BigIntegerRow(),
        new FloatRow("Single", typeof(float), TypeKind.Float32, precision: 24),
        new FloatRow("Double", typeof(double), TypeKind.Float64, precision: 53),
        new HalfRow(),
        new DecimalRow(),
        new StringRow(),
        new CharRow(),
        new DateTimeRow(),
        new DateTimeOffsetRow(),
        new TimeSpanRow(),
        new GuidRow(),
        new VersionRow(),
        new UriRow(),
        new IPAddressRow(),
        new EnumRow(),
        new BytesRow(),
    ];

    private static readonly Dictionary<string, ClrTypeRow> ByName = Rows.ToDictionary(r => r.Name, StringComparer.Ordinal);

    // Every type met, with its row or none (objects, collections): one lookup per value after the first.
    private static readonly ConcurrentDictionary<Type, ClrTypeRow?> ByType = new();

    /// <summary>The rows that are integers and may be the join of two others (see <see cref="NumberTraits.JoinTarget"/>), narrowest first.</summary>
    public static IReadOnlyList<ClrTypeRow> IntegerJoinTargets { get; } =
        Rows.Where(r => r.Number is { Class: NumberClass.Integer, JoinTarget: true }).ToArray();

    /// <summary>The row named <paramref name="name"/> (a <c>$clrType</c> head), or null.</summary>
    public static ClrTypeRow? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The row of values of <paramref name="type"/>, or null if they are not plain values of the table.</summary>
    public static ClrTypeRow? RowOf(Type type) => ByType.GetOrAdd(type, static t => Array.Find(Rows, r => r.Covers(t)));

    /// <summary>The row of a value, or null if it is not a plain value of the table (a collection, dictionary or object).</summary>
    public static ClrTypeRow? RowOf(object value) => RowOf(value.GetType());

    /// <summary>True if <paramref name="value"/> is a plain value (a scalar): the one rule of what CapMap never reads by its properties.</summary>
    public static bool IsScalar(object value) => RowOf(value) is not null;

    /// <summary>What a scalar value records, or null if it is not a scalar of the table (a collection, dictionary or object).</summary>
    public static ClrTypeInfo? Classify(object value) => RowOf(value)?.InfoOf(value);

    /// <summary>What a declared type records (for the element of an empty <c>T[]</c> or <c>List&lt;T&gt;</c>); null if not a table scalar.</summary>
    public static ClrTypeInfo? Classify(Type type) => RowOf(type)?.InfoOf(type);

    /// <summary>The .NET type a scalar info reads back as; null for non-scalars and enums whose type is not loaded.</summary>
    public static Type? ClrType(ClrTypeInfo info) => info.Row?.TypeFor(info.Argument);

    /// <summary>
    /// The value to store for <paramref name="value"/> in a field of <paramref name="kind"/> whose values were of
    /// <paramref name="info"/>: the exact primitive (bool, sbyte .. double), string or byte[] the wire writer takes.
    /// A value of the field's own row is stored by that row; any other is converted to the field's Cap'n Proto type.
    /// </summary>
    /// <exception cref="InferredValueException">The value does not convert (e.g. text for a number field, an out-of-range number).</exception>
    public static object Encode(object value, TypeKind kind, ClrTypeInfo? info, string where)
    {
        if (info?.Row is { } own && own.Capnp == kind && own.Covers(value.GetType())) return own.Store(value);
        var row = RowOf(value);
        try
        {
            switch (kind)
            {
                case TypeKind.Text: return ToText(value);
                case TypeKind.Data when row is { Capnp: TypeKind.Data }: return row.Store(value);
                case TypeKind.Data: throw new InferredValueException($"{where}: a {value.GetType().Name} cannot be stored as Data.");
                case TypeKind.Bool when value is bool b: return b;
                case TypeKind.Bool: throw new InferredValueException($"{where}: a {value.GetType().Name} is not a Bool.");
                // Instants and durations: their own Int64 units, whatever the field's other values were.
                case TypeKind.Int64 when row is { Capnp: TypeKind.Int64, Number: null }: return row.Store(value);
            }
            if (row?.Number is null)
                throw new InferredValueException($"{where}: a {value.GetType().Name} ('{ToText(value)}') is not a number for a {kind} field.");
            return value is IConvertible ? ConvertNumber(value, kind, where) : ConvertNumber(row.ToText(value), kind, where);
        }
        catch (Exception e) when (e is OverflowException or FormatException)
        {
            throw new InferredValueException($"{where}: {ToText(value)} does not fit a {kind} field.", e);
        }
    }

    // Numbers without IConvertible (Int128, UInt128, Half, BigInteger) come as their exact invariant text, which
    // Convert parses into the field's type: a non-integer or out-of-range value fails as it does for the others.
    private static object ConvertNumber(object value, TypeKind kind, string where)
    {
        var ic = CultureInfo.InvariantCulture;
        return kind switch
        {
            TypeKind.Int8 => Convert.ToSByte(value, ic),
            TypeKind.Int16 => Convert.ToInt16(value, ic),
            TypeKind.Int32 => Convert.ToInt32(value, ic),
            TypeKind.Int64 => Convert.ToInt64(value, ic),
            TypeKind.UInt8 => Convert.ToByte(value, ic),
            TypeKind.UInt16 or TypeKind.Enum => Convert.ToUInt16(value, ic),
            TypeKind.UInt32 => Convert.ToUInt32(value, ic),
            TypeKind.UInt64 => Convert.ToUInt64(value, ic),
            TypeKind.Float32 => Convert.ToSingle(value, ic),
            TypeKind.Float64 => Convert.ToDouble(value, ic),
            _ => throw new InferredValueException($"{where}: a {kind} field does not hold scalars."),
        };
    }

    /// <summary>The text form of any value: its row's (round-trip, culture-invariant), else invariant <c>ToString()</c>.</summary>
    public static string ToText(object value) =>
        RowOf(value) is { } row ? row.ToText(value)
        : value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value.ToString() ?? "";

    /// <summary>Reads a stored scalar back as the .NET type <paramref name="info"/> names (non-scalar infos: unchanged).</summary>
    /// <exception cref="InferredValueException">The stored value does not parse as that type.</exception>
    public static object? Decode(object? stored, ClrTypeInfo info, string where)
    {
        if (stored is null || info.Row is not { } row) return stored;
        try
        {
            return row.Load(stored, info.Argument);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw new InferredValueException($"{where}: the stored value '{stored}' does not read back as {info}: {e.Message}", e);
        }
    }
}
