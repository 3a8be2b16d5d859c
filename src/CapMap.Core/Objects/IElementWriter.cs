using CapMap.Wire;

namespace CapMap.Objects;

/// <summary>
/// Writes one source object into a freshly appended list element (<see cref="StructWriter.AppendFilled"/>): a
/// record codec or a struct writer, called through an interface so that the per-record step is one non-generic,
/// precompiled method rather than a generic over a value tuple that only the JIT can compile.
/// </summary>
internal interface IElementWriter
{
    /// <summary>Writes <paramref name="source"/> into <paramref name="element"/>; throws with nothing kept on a value that does not fit.</summary>
    void Write(StructBuilder element, object? source);
}
