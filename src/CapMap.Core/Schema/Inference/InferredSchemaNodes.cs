using CapMap.Wire;

namespace CapMap.Schema.Inference;

/// <summary>
/// Builds the <see cref="SchemaSet"/> nodes <c>capnp compile</c> would produce for an inferred schema's text: the
/// file, the three annotation declarations, every struct and enum at file scope.
/// </summary>
internal static class InferredSchemaNodes
{
    public static SchemaSet Build(InferredSchema schema)
    {
        string file = schema.FileName;
        int prefix = file.Length + 1;
        var nodes = new List<NodeSchema>();
        var nested = new List<NestedNodeInfo>
        {
            new(InferredSchema.OriginalNameAnnotation, schema.OriginalNameAnnotationId),
            new(InferredSchema.ClrTypeAnnotation, schema.ClrTypeAnnotationId),
            new(InferredSchema.NullFlagForAnnotation, schema.NullFlagForAnnotationId),
        };
        bool absentFlags = schema.HasAbsentFlags;
        if (absentFlags) nested.Add(new(InferredSchema.AbsentFlagForAnnotation, schema.AbsentFlagForAnnotationId));
        nested.AddRange(schema.Structs.Select(s => new NestedNodeInfo(s.Identifier, s.Id)));
        nested.AddRange(schema.Enums.Select(e => new NestedNodeInfo(e.Identifier, e.Id)));
        nodes.Add(new FileSchema(schema.FileId, file, 0, 0, nested, [], [], false));
        nodes.Add(Annotation(schema, schema.OriginalNameAnnotationId, InferredSchema.OriginalNameAnnotation,
            AnnotationTargets.Struct | AnnotationTargets.Enum | AnnotationTargets.Field | AnnotationTargets.Enumerant));
        nodes.Add(Annotation(schema, schema.ClrTypeAnnotationId, InferredSchema.ClrTypeAnnotation, AnnotationTargets.Field));
        nodes.Add(Annotation(schema, schema.NullFlagForAnnotationId, InferredSchema.NullFlagForAnnotation, AnnotationTargets.Field));
        if (absentFlags) nodes.Add(Annotation(schema, schema.AbsentFlagForAnnotationId, InferredSchema.AbsentFlagForAnnotation, AnnotationTargets.Field));

        foreach (var s in schema.Structs)
        {
            var fields = new FieldSchema[s.Fields.Count];
            for (int i = 0; i < fields.Length; i++)
            {
                var f = s.Fields[i];
                var type = ToTypeSchema(f.Type);
                var annotations = new List<AnnotationSchema>();
                if (f.Name != f.Identifier) annotations.Add(TextAnnotation(schema.OriginalNameAnnotationId, f.Name));
                if (f.Clr is { } clr) annotations.Add(TextAnnotation(schema.ClrTypeAnnotationId, clr.ToString()));
                if (f.FlagsNullOf is { } flagged) annotations.Add(TextAnnotation(schema.NullFlagForAnnotationId, flagged.Identifier));
                if (f.FlagsAbsenceOf is { } absent) annotations.Add(TextAnnotation(schema.AbsentFlagForAnnotationId, absent.Identifier));
                fields[i] = new FieldSchema(f.Identifier, i, checked((ushort)i), f.DiscriminantValue, checked((ushort)f.Ordinal),
                    annotations, FieldKind.Slot, f.Offset, type, SchemaLoader.ZeroValue(type), false, 0);
            }
            nodes.Add(new StructSchema(s.Id, $"{file}:{s.Identifier}", prefix, schema.FileId, [], NameAnnotations(schema, s.Name, s.Identifier), [], false,
                s.DataWordCount, s.PointerCount, ElementSize.InlineComposite, false, s.DiscriminantCount, s.DiscriminantOffset, fields));
        }
        foreach (var e in schema.Enums)
        {
            var enumerants = new EnumerantSchema[e.Enumerants.Count];
            for (int i = 0; i < enumerants.Length; i++)
                enumerants[i] = new EnumerantSchema(e.EnumerantIdentifiers[i], checked((ushort)i), checked((ushort)i),
                    NameAnnotations(schema, e.Enumerants[i], e.EnumerantIdentifiers[i]));
            nodes.Add(new EnumSchema(e.Id, $"{file}:{e.Identifier}", prefix, schema.FileId, [], NameAnnotations(schema, e.Name, e.Identifier), [], false, enumerants));
        }

        var byId = nodes.ToDictionary(n => n.Id);
        var files = new[] { new RequestedFileSchema(schema.FileId, file, []) };
        var set = new SchemaSet(byId, nodes, files, null);
        foreach (var n in nodes) n.Bind(set);
        foreach (var f in files) f.Bind(set);
        return set;
    }

    private static AnnotationDeclarationSchema Annotation(InferredSchema schema, ulong id, string name, AnnotationTargets targets) =>
        new(id, $"{schema.FileName}:{name}", schema.FileName.Length + 1, schema.FileId, [], [], [], false, TypeSchema.Text, targets);

    private static IReadOnlyList<AnnotationSchema> NameAnnotations(InferredSchema schema, string name, string identifier) =>
        name == identifier ? [] : [TextAnnotation(schema.OriginalNameAnnotationId, name)];

    private static AnnotationSchema TextAnnotation(ulong id, string text) => new(id, new ValueSchema(TypeKind.Text, text, false));

    internal static TypeSchema ToTypeSchema(InferredType type) => type.Kind switch
    {
        TypeKind.List => TypeSchema.ListOf(ToTypeSchema(type.Element!)),
        TypeKind.Struct => TypeSchema.Unresolved(TypeKind.Struct, type.Struct!.Id),
        TypeKind.Enum => TypeSchema.Unresolved(TypeKind.Enum, type.Enum!.Id),
        _ => TypeSchema.Primitive(type.Kind),
    };
}
