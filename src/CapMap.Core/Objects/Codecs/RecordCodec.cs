using CapMap.Objects.Reading;
using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects.Codecs;

/// <summary>
/// How the objects of one message become record structs and come back: the one seam between objects and the wire.
/// Each codec owns both directions for its kind of schema: <see cref="ExplicitRecordCodec"/> for a schema a user
/// wrote (properties matched to fields by Cap'n Proto name, rows by field name) and <see cref="InferredRecordCodec"/>
/// for a schema CapMap inferred (original names and .NET types each way). <see cref="For"/> picks one from the
/// resolved schema, so no caller asks which kind it has. <see cref="ObjectMessageWriter"/> writes through a codec
/// and <see cref="ObjectMessageReader"/> reads through the plans it makes. Not thread-safe (codecs compile and cache
/// per struct as they go).
/// </summary>
public abstract class RecordCodec
{
    private protected RecordCodec(StructSchema root, ObjectModel model)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(model);
        Root = root;
        Model = model;
    }

    /// <summary>
    /// The codec of messages with root <paramref name="root"/> of <paramref name="schema"/>: the inferred one when
    /// the schema was inferred and the root is its own, else the schema-driven one.
    /// </summary>
    public static RecordCodec For(ResolvedSchema schema, StructSchema root, ObjectModel model)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(root);
        return schema.Inferred is { } inferred && root.Id == inferred.Root.Id
            ? new InferredRecordCodec(schema, model)
            : new ExplicitRecordCodec(root, model);
    }

    /// <summary>The root struct of the messages.</summary>
    public StructSchema Root { get; }

    /// <summary>The object model's hooks.</summary>
    public ObjectModel Model { get; }

    /// <summary>The list records go to when the caller names none; null when the caller picks (by the root's fields).</summary>
    public virtual FieldPath? Records => null;

    /// <summary>True if any value (a number, a string, a list) is a record of <paramref name="target"/>, not only an object with properties.</summary>
    public virtual bool TakesAnyValue(FieldPath target) => false;

    /// <summary>The schema-driven writer of structs of <paramref name="schema"/> (the root's properties, a struct or group set by path).</summary>
    internal abstract StructWriter WriterFor(StructSchema schema, bool strict);

    /// <summary>Appends <paramref name="input"/> to <paramref name="list"/>, the open list of <paramref name="target"/>; nothing is left behind when it throws.</summary>
    /// <exception cref="CapnpValueException">The input does not convert.</exception>
    internal abstract void Append(StreamingStructListBuilder list, FieldPath target, object input, bool strict);

    /// <summary>How a message is read as rows: <paramref name="target"/> (null: the root itself) selected from each root, each struct made a row.</summary>
    public abstract MessagePlan<object> PlanFor(FieldPath? target);
}
