using CapMap.Schema;
using CapMap.Schema.Inference;

namespace CapMap.Messages;

/// <summary>
/// The schema a message carries (<see cref="EmbeddedSchema"/>), loaded: the set, the root struct, and, for a
/// schema CapMap inferred, its model (original names and .NET types), which the record codec reads and writes by.
/// </summary>
public sealed class CarriedSchema
{
    private CarriedSchema(EmbeddedSchema embedded, ResolvedSchema resolved)
    {
        Embedded = embedded;
        Resolved = resolved;
    }

    /// <summary>The bytes and root id as the message holds them.</summary>
    public EmbeddedSchema Embedded { get; }

    /// <summary>The schema, resolved once: what the cmdlets' schema object and the record codec share.</summary>
    public ResolvedSchema Resolved { get; }

    /// <summary>The loaded schema.</summary>
    public SchemaSet SchemaSet => Resolved.SchemaSet;

    /// <summary>The message's root struct.</summary>
    public StructSchema Root => Resolved.Root!;

    /// <summary>The model of an inferred schema; null for a schema a user wrote.</summary>
    public InferredSchema? Inferred => Resolved.Inferred;

    /// <summary>What a message written with <paramref name="schema"/> and root <paramref name="root"/> carries: the bytes the schema was resolved from, not written anew.</summary>
    public static EmbeddedSchema For(ResolvedSchema schema, StructSchema root)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(root);
        return new EmbeddedSchema(schema.Request, root.Id);
    }

    /// <summary>What a message written with <paramref name="set"/> and root <paramref name="root"/> carries: <paramref name="request"/> (the bytes the set was loaded from) when known, else the set written anew.</summary>
    public static EmbeddedSchema ForExplicit(SchemaSet set, StructSchema root, byte[]? request = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(root);
        return new EmbeddedSchema(request ?? SchemaSetWriter.Write(set), root.Id);
    }

    /// <summary>What a message written with an inferred schema carries.</summary>
    public static EmbeddedSchema ForInferred(InferredSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new EmbeddedSchema(schema.ToBytes(), schema.Root.Id);
    }

    /// <summary>The schema message <paramref name="messageIndex"/> of the file carries, loaded; null when it carries none.</summary>
    /// <exception cref="Wire.CapnpFormatException">The file is no valid message, or holds no such message.</exception>
    /// <exception cref="CapnpSchemaException">The carried schema does not load, or lacks its root.</exception>
    public static CarriedSchema? Read(string path, int messageIndex = 0) =>
        EmbeddedSchema.Read(path, messageIndex) is { } embedded ? Load(embedded) : null;

    /// <summary>Loads a carried schema within <see cref="SchemaBudget.Carried"/>: it comes from a file, like the message.</summary>
    /// <exception cref="SchemaBudgetException">It goes past the budget (the file is not a valid CapMap message).</exception>
    /// <exception cref="CapnpSchemaException">It does not load, or lacks its root.</exception>
    public static CarriedSchema Load(EmbeddedSchema embedded)
    {
        ArgumentNullException.ThrowIfNull(embedded);
        return new CarriedSchema(embedded, ResolvedSchema.Load(embedded.CodeGeneratorRequest, embedded.RootTypeId, SchemaBudget.Carried));
    }

    /// <summary>
    /// True if a message with root <paramref name="other"/> can follow one with this root in the same file:
    /// the same root id and the same layout (section sizes, and every field's name, offset and type kind).
    /// </summary>
    public bool Matches(StructSchema other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Id != Root.Id || other.DataWordCount != Root.DataWordCount || other.PointerCount != Root.PointerCount) return false;
        if (other.Fields.Count != Root.Fields.Count) return false;
        for (int i = 0; i < Root.Fields.Count; i++)
        {
            var a = Root.Fields[i];
            var b = other.Fields[i];
            if (a.Name != b.Name || a.Offset != b.Offset || a.Type.Kind != b.Type.Kind) return false;
        }
        return true;
    }
}
