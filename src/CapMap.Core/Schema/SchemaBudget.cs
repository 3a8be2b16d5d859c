namespace CapMap.Schema;

/// <summary>
/// How much of each part of a schema the loader builds before it refuses: nodes, and the bytes of annotation values
/// (nesting has one fixed bound, <see cref="SchemaBudget.MaxNesting"/>). A schema a message file carries is data
/// nobody vouches for, and what the loader builds from it is compiled into readers afterwards, so it is bounded like
/// the message itself; a schema the user gives is loaded without these bounds.
/// </summary>
/// <param name="MaxNodes">Most nodes (files, structs, enums, ...) the request may list.</param>
/// <param name="MaxAnnotationBytes">Most bytes of Text and Data annotation values, all annotations together.</param>
public sealed record SchemaBudget(int MaxNodes, long MaxAnnotationBytes)
{
    /// <summary>
    /// Deepest nesting of List types in a type and of collections in a CapMap .NET type description. Each level is a
    /// frame of a recursive walk somewhere, and no schema a person writes or CapMap infers comes near it (inference
    /// writes lists nested more than 8 deep as text).
    /// </summary>
    public const int MaxNesting = 64;

    /// <summary>
    /// Deepest nesting of structs in the fields of an inferred schema: the root, the record, then per level of -Depth
    /// an object's struct or a map's entry struct, plus a union struct where the values there are of several kinds
    /// (a hashtable whose values are a number and the next hashtable: entry, then union, at every level), and a
    /// union member's struct beside it; -Depth goes up to 100, as ConvertTo-Json's, so 3 × 101 + 2 levels and some
    /// room. Each struct is a frame of the recursive walks that read the schema and compile its readers (a few
    /// hundred bytes of stack each: 320 of them stay far below a thread's stack).
    /// </summary>
    public const int MaxStructNesting = 320;

    /// <summary>
    /// The budget of a schema a message carries. A CapMap file carries its own file's nodes (an inferred schema has
    /// one per struct and enum; a user's schema its .capnp file and what that imports), and its annotations are an
    /// inferred schema's original names and .NET types (tens of bytes per field): both limits are orders of magnitude
    /// above that and still bound what a hostile file can make a reader build.
    /// </summary>
    public static SchemaBudget Carried { get; } = new(MaxNodes: 16_384, MaxAnnotationBytes: 4L << 20);

    /// <summary>No bound but nesting: for schemas the user loads on purpose.</summary>
    public static SchemaBudget Unlimited { get; } = new(int.MaxValue, long.MaxValue);
}
