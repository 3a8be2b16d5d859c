using CapMap.Wire;

namespace CapMap.Schema.Inference;

/// <summary>
/// Writes objects as the records of an <see cref="InferredSchema"/>: <see cref="Write"/> puts an object into a record
/// struct (properties matched to fields by original name; values converted by the type table). Records are read back
/// by the row readers (<c>Objects.Reading.InferredRowReader</c>). Not thread-safe (it counts <see cref="Unseen"/>
/// properties).
/// </summary>
public sealed class InferredRecordCodec
{
    private readonly InferredRecordWriter _writer;

    /// <summary>Creates a codec for the schema's records.</summary>
    /// <exception cref="ArgumentException">The schema has no record struct (its root is not one list of structs).</exception>
    public InferredRecordCodec(InferredSchema schema, ObjectAdapter? adapter = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        Record = schema.Record ?? throw new ArgumentException("The schema's root is not a list of records.", nameof(schema));
        SchemaSet = schema.ToSchemaSet();
        _writer = new InferredRecordWriter(Record, adapter ?? ObjectAdapter.Default, Unseen);
    }

    /// <summary>The schema.</summary>
    public InferredSchema Schema { get; }

    /// <summary>The record struct.</summary>
    public InferredStruct Record { get; }

    /// <summary>The schema as a loaded set (what <see cref="DynamicValueReader"/> and the message cmdlets use).</summary>
    public SchemaSet SchemaSet { get; }

    /// <summary>Properties that objects had but the schema has not (they were not in the sample); their values are dropped.</summary>
    public UnseenProperties Unseen { get; } = new();

    /// <summary>
    /// Writes <paramref name="record"/> into a struct of the record's size (e.g. an element of the root's list):
    /// straight into the struct through plans made once per struct.
    /// </summary>
    /// <exception cref="InferredValueException">A value does not fit its field's type.</exception>
    public void Write(StructBuilder target, object? record) => _writer.Write(target, record);
}
