using CapMap.Schema.Inference;

namespace CapMap.Schema;

/// <summary>
/// A schema as everything that writes or reads messages by it needs it, built once: the loaded
/// <see cref="Schema.SchemaSet"/>, the CodeGeneratorRequest bytes a message carries (<c>EmbeddedSchema</c>), the root
/// the schema names (an inferred schema's or a carried one's; none for a schema file, whose root the user picks),
/// and, for a schema CapMap inferred, its model (original names and .NET types), which the record codec writes and
/// reads by. An inferred model is turned into bytes and a set here, once; the file header, the codec and the
/// cmdlets' schema object all share this one instance instead of converting the model again.
/// </summary>
public sealed class ResolvedSchema
{
    private ResolvedSchema(SchemaSet set, byte[] request, StructSchema? root, InferredSchema? inferred)
    {
        SchemaSet = set;
        Request = request;
        Root = root;
        Inferred = inferred;
    }

    /// <summary>The loaded schema.</summary>
    public SchemaSet SchemaSet { get; }

    /// <summary>The request bytes <see cref="SchemaSet"/> was loaded from (shared, not copied: callers must not change them).</summary>
    internal byte[] Request { get; }

    /// <summary>The root the schema names (inferred or carried); null for a schema file, whose root the user picks.</summary>
    public StructSchema? Root { get; }

    /// <summary>The model of a schema CapMap inferred; null for one a user wrote.</summary>
    public InferredSchema? Inferred { get; }

    /// <summary>A copy of the CodeGeneratorRequest bytes (what a message carries and <c>-SavePrecompiled</c> writes).</summary>
    public byte[] GetRequestBytes() => (byte[])Request.Clone();

    /// <summary>The schema as .capnp text, rooted at <paramref name="root"/>: an inferred schema's own text (names, annotations), else the set's.</summary>
    public string ToCapnpText(StructSchema root) => Inferred?.ToCapnpText() ?? SchemaSetTextWriter.Write(SchemaSet, root);

    /// <summary>An inferred schema: its bytes are written and loaded back once, so the set is what a reader of the file gets.</summary>
    public static ResolvedSchema FromInferred(InferredSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        byte[] request = schema.ToBytes();
        var set = SchemaSet.Load(request);
        return new ResolvedSchema(set, request, (StructSchema)set.GetById(schema.Root.Id), schema);
    }

    /// <summary>A schema a user wrote (a .capnp or precompiled file): <paramref name="set"/> as loaded from <paramref name="request"/>.</summary>
    public static ResolvedSchema FromRequest(SchemaSet set, byte[] request)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(request);
        return new ResolvedSchema(set, request, root: null, inferred: null);
    }

    /// <summary>
    /// A schema a message carries: loaded within <paramref name="budget"/> (it comes from a file, like the message), its
    /// root found by id, and the inferred model read back when CapMap inferred it.
    /// </summary>
    /// <exception cref="SchemaBudgetException">It goes past the budget.</exception>
    /// <exception cref="CapnpSchemaException">It does not load, or lacks its root.</exception>
    public static ResolvedSchema Load(byte[] request, ulong rootId, SchemaBudget budget)
    {
        ArgumentNullException.ThrowIfNull(request);
        var set = SchemaSet.Load(request, budget);
        if (set.TryGetById(rootId) is not StructSchema root)
            throw new CapnpSchemaException($"The schema the message carries has no struct @0x{rootId:x16} (its root type).");
        var inferred = IsInferred(root) ? InferredSchema.FromSchemaSet(set, root.NestedName) : null;
        return new ResolvedSchema(set, request, root, inferred);
    }

    /// <summary>An inferred root holds one list whose field carries CapMap's clrType annotation.</summary>
    private static bool IsInferred(StructSchema root) =>
        root.Fields.Count == 1 && root.Fields[0].Annotations.Any(a => InferredSchema.IsCapMapAnnotation(a, InferredSchema.ClrTypeAnnotation));
}
