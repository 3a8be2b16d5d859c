using System.Globalization;

namespace CapMap.Objects.Reading;

/// <summary>
/// The base of every record type <see cref="RowTypes"/> generates: the values of one decoded struct, in the order of
/// its shape's properties. The generated subclass adds one public property per value, so PowerShell (and any
/// reflection-based consumer: Export-Csv, ConvertTo-Json, Format-Table) sees an ordinary object with typed-by-value
/// properties, while a record costs two allocations instead of one per property.
/// </summary>
/// <remarks>Members here are not public on purpose: PowerShell adapts public members, and these must not show up as properties.</remarks>
public abstract class Row
{
    // Marks a slot of _partial that is not decoded yet (null is a value).
    private static readonly object Undecoded = new();
    private object?[]? _values; // all the values: set at construction, or once a lazy row is decoded whole
    private RowSource? _source; // until the values are decoded, for a row made by RowShape.NewLazy
    private object?[]? _partial; // a lazy row's values read one at a time (under the source's gate), until it is decoded whole
    private readonly int _index;

    /// <summary>Creates the row; the generated constructor passes its shape and values.</summary>
    protected Row(RowShape shape, object?[] values)
    {
        Shape = shape;
        _values = values;
    }

    /// <summary>Creates a row whose values <paramref name="source"/> decodes when they are first read; the generated lazy constructor passes these.</summary>
    protected Row(RowShape shape, RowSource source, int index)
    {
        Shape = shape;
        _source = source;
        _index = index;
    }

    /// <summary>The names and the type name this row was made with.</summary>
    protected internal RowShape Shape { get; }

    /// <summary>All the property values; decoded whole at this read of a lazy row (<see cref="Get"/> reads one).</summary>
    protected internal object?[] Values => Volatile.Read(ref _values) ?? Materialize();

    /// <summary>
    /// The value of property <paramref name="slot"/> (what the generated getter returns). A lazy row whose source
    /// decodes one value at a time (<see cref="RowSource.DecodesSlots"/>) decodes only this one: a filter such as
    /// <c>Where-Object kind -eq 'beta'</c> reads one property of every row, and decoding the others (a string each)
    /// would be work and garbage for nothing.
    /// </summary>
    protected internal object? Get(int slot) => Volatile.Read(ref _values) is { } values ? values[slot] : DecodeSlot(slot);

    /// <summary>Sets property <paramref name="slot"/> (what the generated setter does): the row is decoded whole first, so no later decode overwrites it.</summary>
    protected internal void Set(int slot, object? value) => Values[slot] = value;

    // The values are published before the source is let go, so a thread that finds no source finds the values.
    private object?[] Materialize()
    {
        var source = Volatile.Read(ref _source);
        if (source is null) return Volatile.Read(ref _values)!;
        lock (source.Gate)
        {
            if (_values is null)
            {
                var values = source.Decode(_index);
                // Values read one at a time before stay as they were read (the same objects).
                if (_partial is { } partial)
                    for (int i = 0; i < partial.Length; i++)
                        if (!ReferenceEquals(partial[i], Undecoded)) values[i] = partial[i];
                Volatile.Write(ref _values, values);
                Volatile.Write(ref _source, null);
                _partial = null;
            }
        }
        return _values;
    }

    private object? DecodeSlot(int slot)
    {
        var source = Volatile.Read(ref _source);
        if (source is null || !source.DecodesSlots) return Values[slot];
        lock (source.Gate)
        {
            if (_values is { } values) return values[slot]; // decoded whole meanwhile
            var partial = _partial ??= NewPartial(Shape.PropertyNames.Count);
            if (ReferenceEquals(partial[slot], Undecoded)) partial[slot] = source.DecodeSlot(_index, slot);
            return partial[slot];
        }
    }

    private static object?[] NewPartial(int count)
    {
        var partial = new object?[count];
        Array.Fill(partial, Undecoded);
        return partial;
    }

    /// <summary>The type name <paramref name="row"/> should show (<see cref="RowShape.TypeName"/>); static, so it is no member of the row.</summary>
    public static string? TypeNameOf(Row row) => (row ?? throw new ArgumentNullException(nameof(row))).Shape.TypeName;

    /// <summary>As PowerShell shows a PSCustomObject in a string: <c>@{name=value; …}</c>.</summary>
    public override string ToString()
    {
        var names = Shape.PropertyNames;
        var parts = new string[names.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = names[i] + "=" + Format(Values[i]);
        return "@{" + string.Join("; ", parts) + "}";
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.CurrentCulture),
        System.Collections.IEnumerable e and not Row => string.Join(" ", e.Cast<object?>().Select(Format)),
        _ => value.ToString() ?? "",
    };
}
