namespace CapMap.Schema.Inference.TypeRows;

/// <summary>TimeSpan as Int64 ticks (100 ns).</summary>
internal sealed class TimeSpanRow : ClrTypeRow
{
    public override string Name => "TimeSpan";
    public override Type Type => typeof(TimeSpan);
    public override TypeKind Capnp => TypeKind.Int64;
    public override object Store(object value) => ((TimeSpan)value).Ticks;
    public override Func<long, object> Int64Loader(string? argument) => ticks => TimeSpan.FromTicks(ticks);
    public override object Load(object stored, string? argument) => TimeSpan.FromTicks(Convert.ToInt64(stored, Invariant));
}
