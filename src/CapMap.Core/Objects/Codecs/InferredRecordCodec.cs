using CapMap.Objects.Reading;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Wire;

namespace CapMap.Objects.Codecs;

/// <summary>
/// The codec of an <see cref="InferredSchema"/>: <see cref="Write"/> puts an object into a record struct (properties
/// matched to fields by original name; values converted by the type table, <see cref="InferredRecordWriter"/>), and
/// its plans read records back as the objects they were written from (<see cref="InferredRowReader"/>). A target other
/// than the records list is written and read as a schema a user wrote would be. Not thread-safe (its writer
/// remembers shapes, its plans are made once).
/// </summary>
public sealed class InferredRecordCodec : RecordCodec, IElementWriter
{
    private readonly InferredRecordWriter _writer;
    private readonly ExplicitRecordCodec _otherTargets;
    private MessagePlan<object>? _recordsPlan;

    /// <summary>Creates a codec for the schema's records (the schema is resolved here; a caller that has it resolved passes that).</summary>
    /// <exception cref="ArgumentException">The schema has no record struct (its root is not one list of structs).</exception>
    public InferredRecordCodec(InferredSchema schema, ObjectAdapter? adapter = null)
        : this(ResolvedSchema.FromInferred(schema), ObjectModel.Default with { Adapter = adapter ?? ObjectAdapter.Default })
    {
    }

    /// <summary>Creates a codec for the records of the resolved inferred schema <paramref name="resolved"/>.</summary>
    /// <exception cref="ArgumentException">The schema was not inferred, or has no record struct.</exception>
    public InferredRecordCodec(ResolvedSchema resolved, ObjectModel model)
        : base(RootOf(resolved), model)
    {
        Resolved = resolved;
        Schema = resolved.Inferred!;
        Record = Schema.Record ?? throw new ArgumentException("The schema's root is not a list of records.", nameof(resolved));
        _writer = new InferredRecordWriter(Record, Schema.PlainValueField, model.Adapter, model.ValuesWrittenAsText, model.MaxValuesPerRecord);
        _otherTargets = new ExplicitRecordCodec(Root, model);
        Records = FieldPath.Resolve(Root, Schema.Root.Fields[0].Identifier)!;
    }

    private static StructSchema RootOf(ResolvedSchema resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var inferred = resolved.Inferred ?? throw new ArgumentException("The schema was not inferred.", nameof(resolved));
        return (StructSchema)resolved.SchemaSet.GetById(inferred.Root.Id);
    }

    /// <summary>The schema as resolved once: its set is the one the message carries and the cmdlets show.</summary>
    public ResolvedSchema Resolved { get; }

    /// <summary>The schema.</summary>
    public InferredSchema Schema { get; }

    /// <summary>The record struct.</summary>
    public InferredStruct Record { get; }

    /// <summary>The schema as a loaded set (what <see cref="DynamicValueReader"/> and the message cmdlets use).</summary>
    public SchemaSet SchemaSet => Resolved.SchemaSet;

    /// <summary>The root's one list: where the records go.</summary>
    public override FieldPath Records { get; }

    /// <summary>A record without properties (a number, a string) is written as the record's <c>Value</c>.</summary>
    public override bool TakesAnyValue(FieldPath target) => IsRecords(target);

    /// <summary>
    /// Writes <paramref name="record"/> into a struct of the record's size (e.g. an element of the root's list):
    /// straight into the struct through plans made once per struct.
    /// </summary>
    /// <exception cref="InferredValueException">The record does not fit the schema (a value of another type, a property it lacks).</exception>
    public void Write(StructBuilder target, object? record) => _writer.Write(target, record);

    /// <summary>The next record written, if it is <paramref name="record"/>, is written from <paramref name="read"/> instead of being read again (null, null: forget it).</summary>
    internal void AlreadyRead(object? record, RecordDescription? read) => _writer.AlreadyRead(record, read);

    internal override StructWriter WriterFor(StructSchema schema, bool strict) => _otherTargets.WriterFor(schema, strict);

    internal override void Append(StreamingStructListBuilder list, FieldPath target, object input, bool strict)
    {
        if (!IsRecords(target))
        {
            _otherTargets.Append(list, target, input, strict);
            return;
        }
        StructWriter.AppendFilled(list, this, input); // taken back if it does not convert
    }

    /// <inheritdoc />
    public override MessagePlan<object> PlanFor(FieldPath? target)
    {
        if (target is null || !IsRecords(target)) return _otherTargets.PlanFor(target);
        if (_recordsPlan is null)
        {
            // Records are copied out of the mapping in batches and decoded when a row is first read; plain values
            // and dictionaries have no row to put off, and records of several types or of varying properties no one row shape, so they are read at once.
            var records = new InferredRowReader(Schema, SchemaSet, Model.TypeNameFor, Model.Present, Model.PresentProperties);
            var detached = new DetachedRows((_, _) => records.RecordShape, (r, _) => records.RecordValues(r), records.Present, (r, _, slot) => records.RecordValue(r, slot));
            bool readAtOnce = records.ArePlainValues || records.AreDictionaries || records.AreOfSeveralTypes || records.HavePropertiesOfTheirOwn;
            _recordsPlan = new MessagePlan<object>(Root, target, (r, _) => records.Read(r)) { Batch = readAtOnce ? null : detached.NewBatch };
        }
        return _recordsPlan with { Target = target };
    }

    private bool IsRecords(FieldPath target) => target.Path == Records.Path;
}
