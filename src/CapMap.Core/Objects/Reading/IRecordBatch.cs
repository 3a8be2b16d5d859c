using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects.Reading;

/// <summary>The structs of one batch of a message, turned into values together.</summary>
/// <typeparam name="T">The values produced.</typeparam>
public interface IRecordBatch<T>
{
    /// <summary>Takes the next selected struct, with its schema, while the message is readable.</summary>
    void Add(StructReader record, StructSchema schema);

    /// <summary>The values of the structs added, in order; nothing in them refers to the message.</summary>
    List<T> Complete();
}
