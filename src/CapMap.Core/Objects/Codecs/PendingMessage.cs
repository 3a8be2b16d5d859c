using CapMap.Messages;
using CapMap.Schema;
using CapMap.Schema.Inference;

namespace CapMap.Objects.Codecs;

/// <summary>
/// A message whose schema is inferred from its first records, before the file exists: it holds records back as the
/// sample (<see cref="Hold"/>), and once the sample is full or the input ends (<see cref="Start"/>) infers the schema,
/// resolves it once, and creates the file carrying it, with the root's properties. The records it held are then
/// written by the caller, first, and the rest streamed after them, so the file holds them in input order. The
/// inferrer's shapes outlive the sample (<see cref="Inferrer"/>): a later record that does not fit widens them.
/// </summary>
public sealed class PendingMessage
{
    private readonly SampleBuffer _sample;
    private readonly string _path;
    private readonly MappedMessageOptions _messageOptions;
    private readonly object? _rootProperties;
    private readonly ObjectModel _model;
    private readonly bool _strict;

    /// <summary>A message to be created at <paramref name="path"/>, its schema inferred by <paramref name="inference"/>.</summary>
    /// <param name="path">The file to create.</param>
    /// <param name="inference">How the schema is inferred (sample size, depth, names).</param>
    /// <param name="messageOptions">How the file is created (the schema it carries is set at <see cref="Start"/>).</param>
    /// <param name="rootProperties">Values of the root's fields, or null.</param>
    /// <param name="model">The object model's hooks.</param>
    /// <param name="strict">Reject root properties the root has not.</param>
    public PendingMessage(string path, InferenceOptions inference, MappedMessageOptions messageOptions, object? rootProperties, ObjectModel model, bool strict)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(inference);
        ArgumentNullException.ThrowIfNull(messageOptions);
        ArgumentNullException.ThrowIfNull(model);
        _path = path;
        _sample = new SampleBuffer(new SchemaInferrer(inference));
        RootType = inference.Schema.RootType;
        _messageOptions = messageOptions;
        _rootProperties = rootProperties;
        _model = model;
        _strict = strict;
    }

    /// <summary>The inferrer, its shapes being the sample's; a record that does not fit later is taken in with <see cref="SchemaInferrer.Widen"/>.</summary>
    internal SchemaInferrer Inferrer => _sample.Inferrer;

    /// <summary>Whether root properties the root has not are rejected.</summary>
    internal bool Strict => _strict;

    /// <summary>
    /// The schema of the last message of the file appended to (an -Append without -Schema), or null: when the
    /// inferred schema differs from it, <see cref="Start"/> says so (<see cref="AppendedSchemaChange"/>).
    /// </summary>
    public CarriedSchema? Follows { get; init; }

    /// <summary>After <see cref="Start"/>: the note that the appended objects' schema is not <see cref="Follows"/>' (null when it is, or nothing was followed).</summary>
    public SchemaChange? AppendedSchemaChange { get; private set; }

    /// <summary>The values of the root's fields given at creation, or null.</summary>
    public object? RootProperties => _rootProperties;

    /// <summary>The name the inferred root will have.</summary>
    public string RootType { get; }

    /// <summary>The inferred schema, resolved once, after <see cref="Start"/>; null before.</summary>
    public ResolvedSchema? Schema { get; private set; }

    /// <summary>The writer, once <see cref="Start"/> created the file; null before.</summary>
    public ObjectMessageWriter? Writer { get; private set; }

    /// <summary>The records held back so far (all of them written at <see cref="Start"/>'s caller's hand).</summary>
    public IReadOnlyList<object?> Held => _sample.Records;

    /// <summary>Each held record's own properties as the sample read them (see <see cref="RecordDescription"/>).</summary>
    internal IReadOnlyList<RecordDescription?> HeldDescribed => _sample.Described;

    /// <summary>Holds a record back for the sample; true once the sample is full (time to <see cref="Start"/>).</summary>
    /// <exception cref="InvalidOperationException">The message was started already.</exception>
    public bool Hold(object? record)
    {
        if (Writer is not null) throw new InvalidOperationException("The message has its schema already; write the record instead.");
        _sample.Add(record);
        return _sample.Inferrer.IsFull;
    }

    /// <summary>
    /// Infers the schema from the held records (none: a record of no fields), resolves it once and creates the file
    /// carrying it; returns the held records, to be written now, before any other.
    /// </summary>
    /// <exception cref="InvalidOperationException">The message was started already.</exception>
    /// <exception cref="RootPropertiesException">A root value does not convert (nothing was created).</exception>
    public IReadOnlyList<object?> Start()
    {
        if (Writer is not null) throw new InvalidOperationException("The message has its schema already.");
        var schema = ResolvedSchema.FromInferred(_sample.Inferrer.Build());
        Writer = ObjectMessageWriter.Create(_path, _messageOptions, schema, schema.Root!, _rootProperties, _model, _strict);
        Schema = schema;
        if (Follows is { } previous && previous.Inferred?.FileId != schema.Inferred!.FileId)
            AppendedSchemaChange = new SchemaChange(null, $"the objects' schema differs from the one of the file's last message (root {previous.Root.NestedName})");
        return _sample.Records;
    }
}
