using System.Text;

namespace CapMap.Schema.Inference;

/// <summary>
/// A schema CapMap made up itself: a root struct (<c>Batch</c>) whose one field is the list of records
/// (<c>records :List(Record)</c>), the record struct and the structs nested in it. It knows its exact Cap'n Proto
/// layout, emits its <c>.capnp</c> text (<see cref="ToCapnpText"/>), and turns into a <see cref="SchemaSet"/>
/// (<see cref="ToSchemaSet"/>) or the bytes of a <c>CodeGeneratorRequest</c> (<see cref="ToBytes"/>), carrying the
/// original names and .NET types as annotations so <see cref="FromSchemaSet"/> gives the same model back.
/// </summary>
public sealed class InferredSchema
{
    /// <summary>Name of the <c>originalName</c> annotation in emitted text.</summary>
    public const string OriginalNameAnnotation = "originalName";

    /// <summary>Name of the <c>clrType</c> annotation in emitted text.</summary>
    public const string ClrTypeAnnotation = "clrType";

    /// <summary>Name of the <c>nullFlagFor</c> annotation: on a null flag, the identifier of the field it flags.</summary>
    public const string NullFlagForAnnotation = "nullFlagFor";

    /// <summary>
    /// Name of the <c>absentFlagFor</c> annotation: on an absence flag, the identifier of the field whose property
    /// the object did not have. Declared only in schemas that have such flags, so others stay as they were.
    /// </summary>
    public const string AbsentFlagForAnnotation = "absentFlagFor";

    /// <summary>
    /// Wraps <paramref name="record"/> in a root struct with one list field, and names and numbers every struct.
    /// A struct belongs to one schema: giving it to a second one renames it there.
    /// </summary>
    /// <param name="record">The record struct.</param>
    /// <param name="recordClr">What the records were in .NET (usually <see cref="ClrKind.Object"/> with the type name), or null.</param>
    /// <param name="options">Names; defaults if null.</param>
    public InferredSchema(InferredStruct record, ClrTypeInfo? recordClr = null, InferredSchemaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        options ??= new InferredSchemaOptions();
        FileName = options.FileName;
        var recordsField = new InferredField(options.RecordsField, InferredType.ListOf(InferredType.StructOf(record)),
            new ClrTypeInfo(ClrKind.Sequence, element: recordClr ?? new ClrTypeInfo(ClrKind.Object)));
        Root = new InferredStruct(options.RootType, [recordsField]);
        Record = record;
        PlainValueField = PlainValueFieldOf(Root, Record);
        (Structs, Enums) = Collect(Root);
        AssignNames();
        AssignIds(fileId: null);
    }

    /// <summary>A schema read back from a set (ids, names and file name as they were).</summary>
    private InferredSchema(string fileName, ulong fileId, InferredStruct root)
    {
        FileName = fileName;
        Root = root;
        Record = root.Fields is [{ Type: { Kind: TypeKind.List, Element: { Kind: TypeKind.Struct } e } }] ? e.Struct : null;
        PlainValueField = PlainValueFieldOf(root, Record);
        (Structs, Enums) = Collect(root);
        FileId = fileId;
    }

    /// <summary>The file name used in display names.</summary>
    public string FileName { get; }

    /// <summary>The file's id (<c>@0x...;</c>): a hash of the schema's content, with the top bit set.</summary>
    public ulong FileId { get; private set; }

    /// <summary>The root struct.</summary>
    public InferredStruct Root { get; }

    /// <summary>The record struct (the element of the root's one list field); null if the root has another shape.</summary>
    public InferredStruct? Record { get; }

    /// <summary>
    /// When the records were plain values piped on their own (numbers, strings, dates ...; the records list's
    /// <c>clrType</c> says <c>Sequence(Plain)</c>): the record struct's one field that holds each value, so a reader
    /// gives the value itself instead of a record with one property. Null for records that are objects, and for a
    /// schema that says Plain but whose record struct has not exactly one field besides null flags (then its records
    /// read as records, nothing dropped).
    /// </summary>
    public InferredField? PlainValueField { get; }

    /// <summary>Every struct: the root first, then in the order they are first referenced.</summary>
    public IReadOnlyList<InferredStruct> Structs { get; }

    /// <summary>Every enum, in the order they are first referenced.</summary>
    public IReadOnlyList<InferredEnum> Enums { get; }

    /// <summary>
    /// Id of this file's <c>originalName</c> annotation (Text, on structs, enums, fields and enumerants). Like every
    /// node id of the file it derives from the file id (<see cref="IsCapMapAnnotation"/>), so several inferred
    /// files compile together.
    /// </summary>
    public ulong OriginalNameAnnotationId => ChildId(FileId, OriginalNameAnnotation);

    /// <summary>Id of this file's <c>clrType</c> annotation (Text in <see cref="ClrTypeInfo"/> form, on fields).</summary>
    public ulong ClrTypeAnnotationId => ChildId(FileId, ClrTypeAnnotation);

    /// <summary>Id of this file's <c>nullFlagFor</c> annotation (Text, on fields: see <see cref="InferredField.NullFlag"/>).</summary>
    public ulong NullFlagForAnnotationId => ChildId(FileId, NullFlagForAnnotation);

    /// <summary>Id of this file's <c>absentFlagFor</c> annotation (Text, on fields: see <see cref="InferredField.AbsentFlag"/>).</summary>
    public ulong AbsentFlagForAnnotationId => ChildId(FileId, AbsentFlagForAnnotation);

    /// <summary>True if a struct of the schema has an absence flag (and the schema declares <see cref="AbsentFlagForAnnotation"/>).</summary>
    public bool HasAbsentFlags => Structs.Any(s => s.Fields.Any(f => f.FlagsAbsenceOf is not null));

    /// <summary>
    /// True if <paramref name="annotation"/> is CapMap's annotation <paramref name="name"/>
    /// (<see cref="OriginalNameAnnotation"/>, <see cref="ClrTypeAnnotation"/> or <see cref="NullFlagForAnnotation"/>): declared under that name at the
    /// scope of a file, with the id CapMap derives from that file's id.
    /// </summary>
    public static bool IsCapMapAnnotation(AnnotationSchema annotation, string name)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        return annotation.Declaration is { } d && d.ShortName == name && annotation.Id == ChildId(d.ScopeId, name);
    }

    /// <summary>The schema as <c>.capnp</c> text that <c>capnp compile</c> accepts, with the same layout as this model.</summary>
    public string ToCapnpText() => CapnpSchemaTextWriter.Write(this, withIds: true);

    /// <summary>The schema as a loaded <see cref="SchemaSet"/> (nodes built in memory, no compiler involved).</summary>
    public SchemaSet ToSchemaSet() => InferredSchemaNodes.Build(this);

    /// <summary>The stream-framed bytes of a <c>CodeGeneratorRequest</c> for this schema (what <see cref="SchemaSet.Load(byte[])"/> reads).</summary>
    public byte[] ToBytes() => SchemaSetWriter.Write(ToSchemaSet());

    /// <summary>
    /// The model of a struct schema in a loaded set: for a schema CapMap inferred, the same model it was written from
    /// (original names and .NET types come from the annotations); for other schemas, names as they are and no .NET info.
    /// </summary>
    /// <param name="set">The set.</param>
    /// <param name="rootType">The root struct's name; null for the one struct no other struct refers to.</param>
    /// <exception cref="CapnpSchemaException">No such root, or it uses unions, groups, interfaces or AnyPointer, or its layout is not Cap'n Proto's.</exception>
    public static InferredSchema FromSchemaSet(SchemaSet set, string? rootType = null) => InferredSchemaReader.Read(set, rootType);

    internal static InferredSchema FromParts(string fileName, ulong fileId, InferredStruct root) => new(fileName, fileId, root);

    private static InferredField? PlainValueFieldOf(InferredStruct root, InferredStruct? record)
    {
        if (record is null || root.Fields[0].Clr?.Element?.Kind != ClrKind.Plain) return null;
        var values = record.Fields.Where(f => !f.IsFlag).ToList();
        // A struct value is an object (read as a row), except a union struct: plain values of several kinds.
        return values is [var value] && (value.Type.Kind is not (TypeKind.Struct or TypeKind.Void) || value.Type.Struct!.IsUnion) ? value : null;
    }

    private static (IReadOnlyList<InferredStruct>, IReadOnlyList<InferredEnum>) Collect(InferredStruct root)
    {
        var structs = new List<InferredStruct>();
        var enums = new List<InferredEnum>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        void Visit(InferredType t)
        {
            if (t.Element is { } e) Visit(e);
            if (t.Enum is { } en && seen.Add(en)) enums.Add(en);
            if (t.Struct is { } s && seen.Add(s))
            {
                structs.Add(s);
                foreach (var f in s.Fields) Visit(f.Type);
            }
        }
        Visit(InferredType.StructOf(root));
        return (structs, enums);
    }

    private void AssignNames()
    {
        var names = Structs.Select(s => s.Name).Concat(Enums.Select(e => e.Name)).ToArray();
        var ids = CapnpIdentifiers.MakeUnique(names, CapnpIdentifiers.ToTypeIdentifier);
        for (int i = 0; i < Structs.Count; i++) Structs[i].Identifier = ids[i];
        for (int i = 0; i < Enums.Count; i++) Enums[i].Identifier = ids[Structs.Count + i];
    }

    private void AssignIds(ulong? fileId)
    {
        // The file id hashes the text without ids, so the same shape always gets the same ids.
        FileId = fileId ?? Hash("capmap-inferred-schema\n" + CapnpSchemaTextWriter.Write(this, withIds: false));
        foreach (var s in Structs) s.Id = ChildId(FileId, s.Identifier);
        foreach (var e in Enums) e.Id = ChildId(FileId, e.Identifier);
    }

    /// <summary>Id of a node declared in the file: a hash of the file id and the node's name, top bit set.</summary>
    internal static ulong ChildId(ulong fileId, string name) => Hash($"{fileId:x16}:{name}");

    private static ulong Hash(string text)
    {
        Span<byte> digest = stackalloc byte[32];
        ManagedSha256.HashData(Encoding.UTF8.GetBytes(text), digest); // SHA-256 without loading OpenSSL (see ManagedSha256)
        return BitConverter.ToUInt64(digest) | (1UL << 63);
    }
}
