using System.Collections;
using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects;

/// <summary>List(Text), List(Data), List(List(…)): a pointer list whose elements another writer fills.</summary>
internal sealed class PointerListWriter(TypeSchema listType, PointerWriter element, Func<object?, object?>? unwrap) : ListWriterBase(listType, unwrap)
{
    public override void Write(in PointerSlot target, object value)
    {
        if (value is string[] strings && element is TextWriter)
        {
            var texts = target.InitList(ElementSize.Pointer, strings.Length);
            for (int i = 0; i < strings.Length; i++)
                if (strings[i] is { } s) texts.SetText(i, s.AsSpan());
            return;
        }
        // A lone byte[] is one Data element, not a list of bytes (PowerShell unrolls @(,$bytes) to it).
        var list = value is byte[] && element is DataWriter ? new[] { value } : AsList(value);
        int count = list.Count;
        var builder = target.InitList(ElementSize.Pointer, count);
        for (int i = 0; i < count; i++)
        {
            object? item = Element(list, i);
            if (item is null) continue; // a null pointer element
            try
            {
                element.Write(builder.Slot(i), item);
            }
            catch (CapnpValueException ex)
            {
                throw AtIndex(ex, i);
            }
        }
    }
}
