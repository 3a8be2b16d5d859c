using CapMap.Messages;
using CapMap.Objects.Reading;
using CapMap.Schema;

namespace CapMap.Objects.Codecs;

/// <summary>
/// Plans for a file read by the schemas it carries: each message by its own (a file appended to with -Force may
/// hold messages of different schemas), through the codec that schema calls for; a message that carries none by the
/// one before it. A message that carries the same schema as the one before it (every message a full list went on in)
/// reuses that message's plan, so the schema is loaded and its readers compiled once, not once per message. Each
/// schema is read from the reader's own mapping of the file (<see cref="OpenMessageFile.SchemaOf(MessageFileInfo)"/>).
/// <paramref name="rootFor"/> picks the struct to read a message's root as (its carried root, or another struct of its
/// schema); only the carried root reads inferred records as such.
/// </summary>
internal sealed class CarriedPlans(OpenMessageFile file, Func<CarriedSchema, StructSchema> rootFor, Func<StructSchema, FieldPath?> targetFor, ObjectModel model)
{
    private MessagePlan<object>? _previous;
    private EmbeddedSchema? _previousSchema;

    /// <exception cref="NoCarriedSchemaException">The first message carries no schema.</exception>
    public MessagePlan<object> For(MessageFileInfo message)
    {
        var embedded = file.SchemaOf(message);
        if (embedded is null) return _previous ?? throw new NoCarriedSchemaException(file.Path);
        if (_previous is not null && embedded.SameAs(_previousSchema)) return _previous;
        var carried = CarriedSchema.Load(embedded);
        var root = rootFor(carried);
        var plan = RecordCodec.For(carried.Resolved, root, model).PlanFor(targetFor(root));
        _previousSchema = embedded;
        return _previous = plan;
    }
}
