namespace CapMap.Schema.Inference;

/// <summary>
/// A record's own properties as the sample walk read them, once: its kind (an object or a dictionary), its type name,
/// and the properties in order. The walk counts, then observes, and the records it held are written after it; each
/// of the three used to read the record again, and a FileInfo's script properties (UnixMode, User, VersionInfo ...)
/// ran three times for every record of the sample. Kept, they run once, and the file holds what the schema was
/// inferred from even where a value changes between reads (a process that exits meanwhile).
/// </summary>
/// <param name="Kind">Object or Dictionary.</param>
/// <param name="Argument">The object's type name, or the dictionary's flavour (as <see cref="ShapeObserver.Describe"/> gives them).</param>
/// <param name="Properties">The properties, in the order they were read.</param>
/// <param name="ReadBy">The adapter that read them: a writer with another adapter reads the record itself.</param>
internal sealed record RecordDescription(ClrKind Kind, string? Argument, KeyValuePair<string, object?>[] Properties, ObjectAdapter ReadBy);
