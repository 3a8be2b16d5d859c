namespace CapMap.Schema.Inference.TypeRows;

/// <summary>
/// DateTime as Int64 ticks (100 ns) since 1970-01-01T00:00:00Z; the argument is the DateTimeKind it reads back as.
/// DateTimes of two kinds in one field are two kinds of value (<see cref="UnionShape.KeyOf(ClrTypeInfo)"/>), so a union
/// keeps each one's Kind, as Import-Clixml does; where they must share one type, they widen to UTC (the ticks are one
/// instant either way).
/// </summary>
internal sealed class DateTimeRow : ClrTypeRow
{
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;
    private readonly ClrTypeInfo[] _byKind;

    public DateTimeRow() =>
        _byKind = Enum.GetValues<DateTimeKind>().Select(k => new ClrTypeInfo(this, k.ToString())).ToArray();

    public override string Name => "DateTime";
    public override Type Type => typeof(DateTime);
    public override TypeKind Capnp => TypeKind.Int64;

    public override ClrTypeInfo InfoOf(object value) => _byKind[(int)((DateTime)value).Kind];

    // An element's declared DateTime kind is not known; only values tell it.
    public override ClrTypeInfo InfoOf(Type type) => _byKind[(int)DateTimeKind.Unspecified];

    public override object Store(object value) => ToUnixTicks((DateTime)value);

    public override object Load(object stored, string? argument) => FromUnixTicks(Convert.ToInt64(stored, Invariant), argument);

    public override Func<long, object> Int64Loader(string? argument) => ticks => FromUnixTicks(ticks, argument);

    public override string ToText(object value) => ((DateTime)value).ToString("o", Invariant);

    public override ClrTypeInfo JoinArguments(ClrTypeInfo a, ClrTypeInfo b) => _byKind[(int)DateTimeKind.Utc];

    /// <summary>Ticks (100 ns) since 1970-01-01T00:00:00Z. Local times are converted to UTC; Unspecified ones are taken as UTC.</summary>
    public static long ToUnixTicks(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Ticks - UnixEpochTicks;

    /// <summary>The instant in ticks (100 ns) since 1970-01-01T00:00:00Z, as for a DateTime (the offset only places the instant).</summary>
    public static long ToUnixTicks(DateTimeOffset value) => value.UtcTicks - UnixEpochTicks;

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
}
