namespace CapMap.Schema.Inference;

/// <summary>A property path where values that have properties were written as text (see <see cref="ValuesWrittenAsText"/>).</summary>
/// <param name="Path">The path, as messages name it: <c>a.b.c</c>, <c>items[]</c> for a list's elements, <c>tags{}.value</c> for a map's values.</param>
/// <param name="Level">Its level of nesting: 1 for the record's own properties, one more per object or map around it (lists do not count).</param>
/// <param name="Records">Records that wrote a value as text there.</param>
/// <param name="Depth">The -Depth the schema was inferred with.</param>
public sealed record TextPath(string Path, int Level, long Records, int Depth)
{
    /// <summary>True when the level is above -Depth: the nesting was cut there (-Depth <see cref="Level"/> keeps these values as objects).</summary>
    public bool CutByDepth => Level > Depth;
}
