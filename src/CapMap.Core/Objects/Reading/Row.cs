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
    private object?[]? _values;
    private RowSource? _source; // until the values are decoded, for a row made by RowShape.NewLazy
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

    /// <summary>The property values (the generated properties read and write these slots); decoded at the first read of a lazy row.</summary>
    protected internal object?[] Values => Volatile.Read(ref _values) ?? Materialize();

    // The values are published before the source is let go, so a thread that finds no source finds the values.
    private object?[] Materialize()
    {
        var source = Volatile.Read(ref _source);
        if (source is null) return Volatile.Read(ref _values)!;
        lock (source.Gate)
        {
            if (_values is null)
            {
                Volatile.Write(ref _values, source.Decode(_index));
                Volatile.Write(ref _source, null);
            }
        }
        return _values;
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
