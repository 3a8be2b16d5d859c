using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects.Reading;

/// <summary>
/// How to read one message of a file: its root type, what to select from the root (a list's elements, one
/// struct or group, or the root itself when null), and how each selected struct becomes a value.
/// </summary>
/// <typeparam name="T">The values produced.</typeparam>
/// <param name="Root">The message's root struct.</param>
/// <param name="Target">What is read from the root: a list's elements, one struct, or (null) the root itself.</param>
/// <param name="Decode">Turns one selected struct, with its schema, into a value; it must own its data (nothing may refer to the mapping after it returns).</param>
public sealed record MessagePlan<T>(StructSchema Root, FieldPath? Target, Func<StructReader, StructSchema, T> Decode)
{
    /// <summary>
    /// When set, used instead of <see cref="Decode"/>: a batch (sized by the argument) that takes the selected structs
    /// of one batch and then gives their values, which must not refer to the mapping either (see <see cref="DetachedRows"/>).
    /// </summary>
    public Func<int, IRecordBatch<T>>? Batch { get; init; }
}
