using CapMap.Objects.Reading;
using CapMap.Schema.Inference;

namespace CapMap.Objects.Codecs;

/// <summary>
/// The hooks an object model (the PowerShell module's PSObjects, or plain .NET objects by default) gives the record
/// codecs, in one place: how both writers see input objects (the one object-model seam, <see cref="ObjectAdapter"/>),
/// and what the readers make of the rows they produce. The codecs choose by schema; the caller only says
/// what its objects are.
/// </summary>
public sealed record ObjectModel
{
    /// <summary>Plain .NET objects and hashtables, rows output as they are.</summary>
    public static ObjectModel Default { get; } = new();

    /// <summary>How both writers see input objects: their properties (by name, or in order), and a wrapped value as itself.</summary>
    public ObjectAdapter Adapter { get; init; } = ObjectAdapter.Default;

    /// <summary>The adapter's unwrapping of every value, or null when it does not unwrap (see <see cref="ObjectWriterOptions.Unwrap"/>).</summary>
    public Func<object?, object?>? Unwrap => Adapter.UnwrapsValues ? Adapter.Unwrap : null;

    /// <summary>The type name a row of an inferred schema's object shows, from the .NET type name its object had (null: none).</summary>
    public Func<string, string?>? TypeNameFor { get; init; }

    /// <summary>What becomes of each row an inferred schema's reader outputs (e.g. wrapped to carry a type name); identity when null.</summary>
    public Func<Row, object>? Present { get; init; }

    /// <summary>
    /// What becomes of an object of an inferred schema whose properties vary from object to object (its rare ones kept
    /// as entries, <see cref="ClrKind.Properties"/>), from the type name it shows (null: none) and its properties in
    /// order; an <see cref="ObjectRecord"/> when null.
    /// </summary>
    public Func<string?, IReadOnlyList<KeyValuePair<string, object?>>, object>? PresentProperties { get; init; }

    /// <summary>
    /// Exceptions of the object model's own that reading one record can throw (PowerShell's ExtendedTypeSystemException),
    /// reported as that record's rejection rather than ending the writing; null: none beyond Core's.
    /// </summary>
    public Func<Exception, bool>? IsRecordError { get; init; }

    /// <summary>
    /// Where the writers of inferred schemas count values with properties they wrote as text (nesting cut at -Depth),
    /// for one warning per path; null: not counted. One per writing, shared by the codecs of all its messages.
    /// </summary>
    public ValuesWrittenAsText? ValuesWrittenAsText { get; init; }

    /// <summary>Most values one record may have when written under an inferred schema (<see cref="InferenceOptions.MaxValuesPerRecord"/>).</summary>
    public int MaxValuesPerRecord { get; init; } = InferenceOptions.DefaultMaxValuesPerRecord;

    /// <summary>The options of a schema-driven <see cref="StructWriter"/>, strict or not.</summary>
    public ObjectWriterOptions WriterOptions(bool strict) => new() { Strict = strict, Adapter = Adapter };
}
