using CapMap.Schema.Inference;

namespace CapMap.Objects.Codecs;

/// <summary>
/// The records held back while a schema is inferred: each goes into the inferrer's sample and is kept, to be
/// written once the schema is fixed.
/// </summary>
internal sealed class SampleBuffer
{
    private readonly List<object?> _records = new();

    public SampleBuffer(SchemaInferrer inferrer) => Inferrer = inferrer;

    public SchemaInferrer Inferrer { get; }

    public IReadOnlyList<object?> Records => _records;

    public void Add(object? record)
    {
        Inferrer.Add(record);
        _records.Add(record);
    }
}
