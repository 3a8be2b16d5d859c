using System.Collections;
using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects;

/// <summary>
/// Shared list plumbing: any IEnumerable except strings and dictionaries is the list; any other value (a string, a
/// number, a dictionary or object for a struct list) is a list of that one element, because PowerShell unrolls a
/// one-element array into its element before a cmdlet sees it.
/// </summary>
internal abstract class ListWriterBase(TypeSchema listType, Func<object?, object?>? unwrap) : PointerWriter
{
    protected readonly Func<object?, object?>? Unwrap = unwrap;
    protected readonly TypeSchema ListType = listType;

    protected static IList AsList(object value)
    {
        if (value is string || value is IDictionary || value is IReadOnlyDictionary<string, object?> || value is IDictionary<string, object?>
            || value is not IEnumerable enumerable)
            return new[] { value };
        if (value is IList list) return list;
        var items = new List<object?>();
        foreach (var item in enumerable) items.Add(item);
        return items;
    }

    protected object? Element(IList list, int index)
    {
        var item = list[index];
        return Unwrap is null ? item : Unwrap(item);
    }

    protected static CapnpValueException AtIndex(CapnpValueException ex, int index) => ex.WithParent($"[{index}]");
}
