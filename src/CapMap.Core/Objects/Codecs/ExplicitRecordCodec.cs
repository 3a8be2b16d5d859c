using CapMap.Objects.Reading;
using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects.Codecs;

/// <summary>
/// The codec of a schema a user wrote: objects are written by <see cref="StructWriter"/> (properties matched to fields
/// by Cap'n Proto name, values by <see cref="ValueConverter"/>), one writer per struct and strictness; structs are read
/// by <see cref="StructRowReader"/> into rows by field name, copied out of the mapping in batches and decoded when a
/// row is first read (<see cref="DetachedRows"/>).
/// </summary>
public sealed class ExplicitRecordCodec : RecordCodec
{
    private readonly Dictionary<(ulong, bool), StructWriter> _writers = new();
    private StructRowReader? _rows;
    private DetachedRows? _detached;

    /// <summary>The codec of messages with root <paramref name="root"/>.</summary>
    public ExplicitRecordCodec(StructSchema root, ObjectModel? model = null) : base(root, model ?? ObjectModel.Default) { }

    internal override StructWriter WriterFor(StructSchema schema, bool strict)
    {
        if (!_writers.TryGetValue((schema.Id, strict), out var writer))
            _writers[(schema.Id, strict)] = writer = new StructWriter(schema, Model.WriterOptions(strict));
        return writer;
    }

    internal override void Append(StreamingStructListBuilder list, FieldPath target, object input, bool strict) =>
        WriterFor(target.ElementSchema, strict).Append(list, input); // removes the element again on failure

    /// <inheritdoc />
    public override MessagePlan<object> PlanFor(FieldPath? target)
    {
        var rows = _rows ??= new StructRowReader();
        _detached ??= new DetachedRows(rows.ShapeOf, rows.ValuesOf);
        return new MessagePlan<object>(Root, target, rows.Read) { Batch = _detached.NewBatch };
    }
}
