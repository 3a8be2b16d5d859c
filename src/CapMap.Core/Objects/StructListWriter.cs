using System.Collections;
using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects;

/// <summary>List(Struct): an inline-composite list with the element struct's sizes.</summary>
internal sealed class StructListWriter(TypeSchema listType, StructPlan plan, Func<object?, object?>? unwrap) : ListWriterBase(listType, unwrap)
{
    public override void Write(in PointerSlot target, object value)
    {
        var list = AsList(value);
        int count = list.Count;
        var builder = target.InitStructList(count, plan.Schema.DataWordCount, plan.Schema.PointerCount);
        for (int i = 0; i < count; i++)
        {
            object? item = Element(list, i);
            if (item is null) continue; // an all-default element
            try
            {
                plan.Write(builder.GetStruct(i), item);
            }
            catch (CapnpValueException ex)
            {
                throw AtIndex(ex, i);
            }
        }
    }
}
