using CapMap.Schema.Inference;

namespace CapMap.Objects.Codecs;

/// <summary>
/// The records held back while a schema is inferred: each goes into the inferrer's sample and is kept, to be
/// written once the schema is fixed. A record the inferrer refuses for its size is held as a
/// <see cref="HeldRejection"/>, rejected in its turn when the records are written.
/// </summary>
internal sealed class SampleBuffer
{
    private readonly List<object?> _records = new();
    private readonly List<RecordDescription?> _described = new();

    public SampleBuffer(SchemaInferrer inferrer) => Inferrer = inferrer;

    public SchemaInferrer Inferrer { get; }

    public IReadOnlyList<object?> Records => _records;

    /// <summary>Each held record's own properties as the sample walk read them (null for a rejection or a value without properties), for the writer to write without reading them again.</summary>
    public IReadOnlyList<RecordDescription?> Described => _described;

    public void Add(object? record)
    {
        bool taken;
        try
        {
            taken = Inferrer.Add(record);
        }
        catch (RecordTooLargeException tooLarge)
        {
            _records.Add(new HeldRejection(record, tooLarge));
            _described.Add(null);
            return;
        }
        _records.Add(record);
        // Only a record the inferrer took was read: past a full sample, LastRecord is still the record before.
        _described.Add(taken ? Inferrer.LastRecord : null);
    }
}
