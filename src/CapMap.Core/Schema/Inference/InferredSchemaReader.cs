namespace CapMap.Schema.Inference;

/// <summary>Reads the model of a struct schema back from a loaded <see cref="SchemaSet"/> (see <see cref="InferredSchema.FromSchemaSet"/>).</summary>
internal sealed class InferredSchemaReader
{
    private readonly Dictionary<ulong, InferredStruct> _structs = new();
    private readonly Dictionary<ulong, InferredEnum> _enums = new();
    private readonly HashSet<ulong> _inProgress = new();

    public static InferredSchema Read(SchemaSet set, string? rootType)
    {
        ArgumentNullException.ThrowIfNull(set);
        var root = rootType is null ? FindRoot(set) : set.GetStruct(rootType);
        var model = new InferredSchemaReader().ReadStruct(root);
        string fileName = set.TryGetById(root.ScopeId) is FileSchema f ? f.DisplayName : root.FileName;
        ulong fileId = set.TryGetById(root.ScopeId) is FileSchema ? root.ScopeId : 0;
        return InferredSchema.FromParts(fileName, fileId, model);
    }

    private static StructSchema FindRoot(SchemaSet set)
    {
        var referenced = new HashSet<ulong>();
        void Mark(TypeSchema t)
        {
            if (t.ElementType is { } e) Mark(e);
            if (t.Kind == TypeKind.Struct) referenced.Add(t.TypeId);
        }
        foreach (var s in set.Structs)
            foreach (var f in s.FieldsInSchemaOrder)
                if (!f.IsGroup) Mark(f.Type);
        var roots = set.Structs.Where(s => !referenced.Contains(s.Id)).ToList();
        return roots.Count == 1 ? roots[0] : throw new CapnpSchemaException(
            $"The schema has {roots.Count} structs that no other struct refers to ({string.Join(", ", roots.Select(r => r.DisplayName))}); name the root type.");
    }

    private InferredStruct ReadStruct(StructSchema s)
    {
        if (_structs.TryGetValue(s.Id, out var done)) return done;
        // A union is either the whole struct (a value of several kinds) or not there at all.
        bool isUnion = s.HasUnion && s.UnionFields.Count == s.FieldsInSchemaOrder.Count && s.FieldsInSchemaOrder.Count >= 2;
        if ((s.HasUnion && !isUnion) || s.FieldsInSchemaOrder.Any(f => f.IsGroup))
            throw new CapnpSchemaException($"Struct {s.DisplayName} has a group, or a union beside other fields, which an inferred schema cannot hold.");
        if (!_inProgress.Add(s.Id))
            throw new CapnpSchemaException($"Struct {s.DisplayName} contains itself, which an inferred schema cannot hold.");
        // Each struct in progress is a frame of this recursion (and of the readers compiled from the model later).
        if (_inProgress.Count > SchemaBudget.MaxStructNesting)
            throw new SchemaBudgetException($"Struct {s.DisplayName} is nested deeper than {SchemaBudget.MaxStructNesting} structs.");

        var fields = new List<InferredField>(s.FieldsInSchemaOrder.Count);
        foreach (var f in s.FieldsInSchemaOrder)
        {
            string name = TextAnnotation(f.Annotations, InferredSchema.OriginalNameAnnotation) ?? f.Name;
            var clr = TextAnnotation(f.Annotations, InferredSchema.ClrTypeAnnotation) is { } text ? ClrTypeInfo.Parse(text) : null;
            fields.Add(new InferredField(name, ReadType(f.Type, $"{s.DisplayName}.{f.Name}"), clr));
        }
        string modelName = TextAnnotation(s.Annotations, InferredSchema.OriginalNameAnnotation) ?? s.ShortName;
        InferredStruct model;
        if (isUnion) model = InferredStruct.Union(modelName, fields);
        else
        {
            LinkNullFlags(s, fields);
            LinkAbsentFlags(s, fields);
            model = new InferredStruct(modelName, fields);
        }
        model.Identifier = s.ShortName;
        model.Id = s.Id;
        for (int i = 0; i < fields.Count; i++)
        {
            var original = s.FieldsInSchemaOrder[i];
            fields[i].Identifier = original.Name;
            if (fields[i].IsFlag) fields[i].Name = original.Name;
            if (original.Ordinal != i || fields[i].Offset != original.Offset)
                throw new CapnpSchemaException(
                    $"Field {s.DisplayName}.{original.Name} is at offset {original.Offset} (ordinal {original.Ordinal}); Cap'n Proto's layout puts ordinal {i} at {fields[i].Offset}.");
            if (original.DiscriminantValue != fields[i].DiscriminantValue)
                throw new CapnpSchemaException(
                    $"Union member {s.DisplayName}.{original.Name} has discriminant {original.DiscriminantValue}; CapMap's unions number their members in order ({fields[i].DiscriminantValue}).");
        }
        if (model.DiscriminantOffset != s.DiscriminantOffset)
            throw new CapnpSchemaException(
                $"Struct {s.DisplayName} has its discriminant at {s.DiscriminantOffset}; Cap'n Proto's layout puts it at {model.DiscriminantOffset}.");
        if (model.DataWordCount != s.DataWordCount || model.PointerCount != s.PointerCount)
            throw new CapnpSchemaException(
                $"Struct {s.DisplayName} has {s.DataWordCount} data words and {s.PointerCount} pointers; its fields need {model.DataWordCount} and {model.PointerCount}.");
        _inProgress.Remove(s.Id);
        _structs[s.Id] = model;
        return model;
    }

    // A flag names its field by identifier; files written before flags existed have none, and read as "present".
    private static void LinkNullFlags(StructSchema s, List<InferredField> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (TextAnnotation(s.FieldsInSchemaOrder[i].Annotations, InferredSchema.NullFlagForAnnotation) is not { } targetName) continue;
            int target = s.FieldsInSchemaOrder.ToList().FindIndex(f => f.Name == targetName);
            if (target < 0 || target == i || fields[i].Type.Kind != TypeKind.Bool || !InferredField.IsDataKind(fields[target].Type.Kind) || fields[target].NullFlag is not null)
                throw new CapnpSchemaException($"Field {s.DisplayName}.{s.FieldsInSchemaOrder[i].Name} flags the nulls of '{targetName}', which is not a data field of the struct without a flag, or is not a Bool.");
            fields[i].FlagsNullOf = fields[target];
            fields[target].NullFlag = fields[i];
        }
    }

    // An absence flag names its field by identifier; files written before absence flags read every property as present.
    private static void LinkAbsentFlags(StructSchema s, List<InferredField> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (TextAnnotation(s.FieldsInSchemaOrder[i].Annotations, InferredSchema.AbsentFlagForAnnotation) is not { } targetName) continue;
            int target = s.FieldsInSchemaOrder.ToList().FindIndex(f => f.Name == targetName);
            if (target < 0 || target == i || fields[i].Type.Kind != TypeKind.Bool || fields[target].IsFlag || fields[target].AbsentFlag is not null || fields[i].IsFlag)
                throw new CapnpSchemaException($"Field {s.DisplayName}.{s.FieldsInSchemaOrder[i].Name} flags the absence of '{targetName}', which is not a field of the struct without such a flag, or is not a Bool.");
            fields[i].FlagsAbsenceOf = fields[target];
            fields[target].AbsentFlag = fields[i];
        }
    }

    private InferredType ReadType(TypeSchema t, string where) => t.Kind switch
    {
        TypeKind.List => InferredType.ListOf(ReadType(t.ElementType!, where)),
        TypeKind.Struct => InferredType.StructOf(ReadStruct(t.StructType!)),
        TypeKind.Enum => InferredType.EnumOf(ReadEnum(t.EnumType!)),
        TypeKind.Interface or TypeKind.AnyPointer => throw new CapnpSchemaException($"{where}: {t.Kind} cannot be part of an inferred schema."),
        _ => InferredType.Of(t.Kind),
    };

    private InferredEnum ReadEnum(EnumSchema e)
    {
        if (_enums.TryGetValue(e.Id, out var done)) return done;
        var model = new InferredEnum(TextAnnotation(e.Annotations, InferredSchema.OriginalNameAnnotation) ?? e.ShortName,
            e.Enumerants.Select(x => TextAnnotation(x.Annotations, InferredSchema.OriginalNameAnnotation) ?? x.Name))
        {
            Identifier = e.ShortName,
            Id = e.Id,
        };
        var ids = (string[])model.EnumerantIdentifiers;
        for (int i = 0; i < ids.Length; i++) ids[i] = e.Enumerants[i].Name;
        _enums[e.Id] = model;
        return model;
    }

    private static string? TextAnnotation(IReadOnlyList<AnnotationSchema> annotations, string name)
    {
        foreach (var a in annotations)
            if (a.Value.Value is string s && InferredSchema.IsCapMapAnnotation(a, name))
                return s;
        return null;
    }
}
