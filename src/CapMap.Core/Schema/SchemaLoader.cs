using CapMap.IO;
using CapMap.Wire;
using L = CapMap.Schema.SchemaCapnpLayout;

namespace CapMap.Schema;

/// <summary>Reads a CodeGeneratorRequest with the wire reader into the immutable schema model.</summary>
internal sealed class SchemaLoader
{
    /// <summary>Deepest nesting of List types a schema may declare.</summary>
    internal const int MaxTypeDepth = SchemaBudget.MaxNesting;

    private readonly SchemaBudget _budget;
    private long _annotationBytes;

    private SchemaLoader(SchemaBudget budget) => _budget = budget;

    /// <summary>Struct/list values that are decoded once every node is known (they need struct layouts).</summary>
    private readonly List<PendingValue> _pending = new();

    // A class rather than a value tuple: a list of a tuple holding a StructReader is an instantiation ReadyToRun
    // cannot precompile, JIT-compiled (eleven methods) in every process that loads a schema.
    private sealed record PendingValue(ValueSchema Target, StructReader Value, Func<TypeSchema?> Type);

    /// <summary>
    /// The traversal limit for a request of <paramref name="bytes"/> bytes. The compiler never shares an object
    /// between two pointers, so a real request is walked about once: twice its words plus a little is room enough.
    /// Pointers that share or loop would otherwise let a 2 KB request cost the default 8 Mi words of walking (seconds).
    /// </summary>
    private static ReaderOptions LimitsFor(long bytes) =>
        new() { TraversalLimitInWords = bytes / WireLimits.BytesPerWord * 2 + (1 << 16), NestingLimit = WireLimits.DefaultNestingLimit };

    internal static SchemaSet Load(byte[] bytes, SchemaBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            using var message = MessageReader.FromFramedBytes(bytes, LimitsFor(bytes.Length));
            return new SchemaLoader(budget ?? SchemaBudget.Unlimited).Read(message.GetRoot());
        }
        catch (CapnpFormatException e)
        {
            throw new CapnpSchemaException($"The CodeGeneratorRequest is malformed: {e.Message}", e);
        }
    }

    internal static SchemaSet LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var message = MessageFile.Open(path, LimitsFor(new FileInfo(path).Length));
            return new SchemaLoader(SchemaBudget.Unlimited).Read(message.GetRoot());
        }
        catch (CapnpFormatException e)
        {
            throw new CapnpSchemaException($"'{path}' is not a valid CodeGeneratorRequest: {e.Message}", e);
        }
    }

    private SchemaSet Read(StructReader request)
    {
        var nodeList = request.ReadList(L.CodeGeneratorRequest.NodesPtr);
        if (nodeList.Count == 0)
            throw new CapnpSchemaException("The CodeGeneratorRequest has no nodes.");
        if (nodeList.Count > _budget.MaxNodes)
            throw new SchemaBudgetException($"The CodeGeneratorRequest lists {nodeList.Count:N0} nodes; a schema a message carries may have {_budget.MaxNodes:N0}.");

        var nodes = new List<NodeSchema>(nodeList.Count);
        var byId = new Dictionary<ulong, NodeSchema>(nodeList.Count);
        for (int i = 0; i < nodeList.Count; i++)
        {
            var node = ReadNode(nodeList.GetStruct(i));
            if (!byId.TryAdd(node.Id, node))
                throw new CapnpSchemaException($"The CodeGeneratorRequest lists node 0x{node.Id:x16} twice.");
            nodes.Add(node);
        }

        var fileList = request.ReadList(L.CodeGeneratorRequest.RequestedFilesPtr);
        var files = new List<RequestedFileSchema>(fileList.Count);
        for (int i = 0; i < fileList.Count; i++)
        {
            var f = fileList.GetStruct(i);
            var importList = f.ReadList(L.RequestedFile.ImportsPtr);
            var imports = new FileImport[importList.Count];
            for (int j = 0; j < imports.Length; j++)
            {
                var imp = importList.GetStruct(j);
                imports[j] = new FileImport(imp.ReadUInt64(L.Import.IdU64), imp.ReadText(L.Import.NamePtr) ?? "");
            }
            files.Add(new RequestedFileSchema(f.ReadUInt64(L.RequestedFile.IdU64),
                f.ReadText(L.RequestedFile.FilenamePtr) ?? throw new CapnpSchemaException($"Requested file #{i} has no file name."),
                imports));
        }

        Version? version = null;
        if (!request.IsPointerNull(L.CodeGeneratorRequest.CapnpVersionPtr))
        {
            var v = request.ReadStruct(L.CodeGeneratorRequest.CapnpVersionPtr);
            version = new Version(v.ReadUInt16(L.CapnpVersion.MajorU16), v.ReadUInt8(L.CapnpVersion.MinorU8), v.ReadUInt8(L.CapnpVersion.MicroU8));
        }

        var set = new SchemaSet(byId, nodes, files, version);
        foreach (var n in nodes) n.Bind(set);
        foreach (var f in files) f.Bind(set);

        foreach (var (target, value, typeOf) in _pending)
        {
            var type = typeOf();
            if (type is null) continue; // e.g. annotation whose declaration is not in the request
            if (target.Kind == TypeKind.Struct && type.Kind == TypeKind.Struct && type.StructType is { } st)
                target.SetMaterialized(DynamicValueReader.ReadStruct(value.ReadStruct(L.Value.PointerPtr), st));
            else if (target.Kind == TypeKind.List && type.Kind == TypeKind.List)
                target.SetMaterialized(DynamicValueReader.ReadList(value.ReadList(L.Value.PointerPtr), type.ElementType!));
            else
                throw new CapnpSchemaException($"A {target.Kind} value was given for a value of type {type}.");
        }
        return set;
    }

    private NodeSchema ReadNode(StructReader n)
    {
        ulong id = n.ReadUInt64(L.Node.IdU64);
        string displayName = n.ReadText(L.Node.DisplayNamePtr)
            ?? throw new CapnpSchemaException($"Node 0x{id:x16} has no display name.");
        uint prefix = n.ReadUInt32(L.Node.DisplayNamePrefixLengthU32);
        if (prefix > (uint)displayName.Length)
            throw new CapnpSchemaException($"Node {displayName}: displayNamePrefixLength {prefix} is longer than the name.");
        ulong scopeId = n.ReadUInt64(L.Node.ScopeIdU64);
        bool isGeneric = n.ReadBool(L.Node.IsGenericBit);

        var nestedList = n.ReadList(L.Node.NestedNodesPtr);
        var nested = new NestedNodeInfo[nestedList.Count];
        for (int i = 0; i < nested.Length; i++)
        {
            var nn = nestedList.GetStruct(i);
            nested[i] = new NestedNodeInfo(
                nn.ReadText(L.NestedNode.NamePtr) ?? throw new CapnpSchemaException($"Node {displayName}: nested node #{i} has no name."),
                nn.ReadUInt64(L.NestedNode.IdU64));
        }

        var paramList = n.ReadList(L.Node.ParametersPtr);
        var parameters = new string[paramList.Count];
        for (int i = 0; i < parameters.Length; i++)
            parameters[i] = paramList.GetStruct(i).ReadText(0) ?? "";

        var annotations = ReadAnnotations(n.ReadList(L.Node.AnnotationsPtr), displayName);
        int p = (int)prefix;

        ushort which = n.ReadUInt16(L.Node.WhichU16);
        switch (which)
        {
            case L.Node.WhichFile:
                return new FileSchema(id, displayName, p, scopeId, nested, annotations, parameters, isGeneric);

            case L.Node.WhichStruct:
            {
                int dataWords = n.ReadUInt16(L.Node.StructDataWordCountU16);
                int pointers = n.ReadUInt16(L.Node.StructPointerCountU16);
                ushort listEncoding = n.ReadUInt16(L.Node.StructPreferredListEncodingU16);
                if (listEncoding > 7)
                    throw new CapnpSchemaException($"Struct {displayName}: preferredListEncoding {listEncoding} is not an ElementSize.");
                bool isGroup = n.ReadBool(L.Node.StructIsGroupBit);
                int discriminantCount = n.ReadUInt16(L.Node.StructDiscriminantCountU16);
                uint discriminantOffset = n.ReadUInt32(L.Node.StructDiscriminantOffsetU32);
                if (discriminantCount > 0 && ((ulong)discriminantOffset + 1) * 16 > (ulong)dataWords * 64)
                    throw new CapnpSchemaException(
                        $"Struct {displayName}: discriminant offset {discriminantOffset} lies outside its {dataWords}-word data section.");
                var fieldList = n.ReadList(L.Node.StructFieldsPtr);
                var fields = new FieldSchema[fieldList.Count];
                for (int i = 0; i < fields.Length; i++)
                    fields[i] = ReadField(fieldList.GetStruct(i), i, displayName, dataWords, pointers);
                return new StructSchema(id, displayName, p, scopeId, nested, annotations, parameters, isGeneric,
                    dataWords, pointers, (ElementSize)listEncoding, isGroup, discriminantCount, discriminantOffset, fields);
            }

            case L.Node.WhichEnum:
            {
                var list = n.ReadList(L.Node.EnumEnumerantsPtr);
                var enumerants = new EnumerantSchema[list.Count];
                for (int i = 0; i < enumerants.Length; i++)
                {
                    var e = list.GetStruct(i);
                    enumerants[i] = new EnumerantSchema(
                        e.ReadText(L.Enumerant.NamePtr) ?? throw new CapnpSchemaException($"Enum {displayName}: enumerant #{i} has no name."),
                        checked((ushort)i), e.ReadUInt16(L.Enumerant.CodeOrderU16),
                        ReadAnnotations(e.ReadList(L.Enumerant.AnnotationsPtr), displayName));
                }
                return new EnumSchema(id, displayName, p, scopeId, nested, annotations, parameters, isGeneric, enumerants);
            }

            case L.Node.WhichInterface:
            {
                var list = n.ReadList(L.Node.InterfaceMethodsPtr);
                var methods = new MethodSchema[list.Count];
                for (int i = 0; i < methods.Length; i++)
                {
                    var m = list.GetStruct(i);
                    methods[i] = new MethodSchema(m.ReadText(L.Method.NamePtr) ?? "", m.ReadUInt16(L.Method.CodeOrderU16),
                        m.ReadUInt64(L.Method.ParamStructTypeU64), m.ReadUInt64(L.Method.ResultStructTypeU64));
                }
                var supers = n.ReadList(L.Node.InterfaceSuperclassesPtr);
                var superIds = new ulong[supers.Count];
                for (int i = 0; i < superIds.Length; i++) superIds[i] = supers.GetStruct(i).ReadUInt64(0);
                return new InterfaceSchema(id, displayName, p, scopeId, nested, annotations, parameters, isGeneric, methods, superIds);
            }

            case L.Node.WhichConst:
            {
                var type = ReadType(n.ReadStruct(L.Node.ConstTypePtr), 0, displayName);
                var value = ReadValue(n, L.Node.ConstValuePtr, type, displayName);
                return new ConstSchema(id, displayName, p, scopeId, nested, annotations, parameters, isGeneric, type, value);
            }

            case L.Node.WhichAnnotation:
            {
                var type = ReadType(n.ReadStruct(L.Node.AnnotationTypePtr), 0, displayName);
                var targets = AnnotationTargets.None;
                for (int b = 0; b < L.Node.AnnotationTargetCount; b++)
                    if (n.ReadBool(L.Node.AnnotationTargetsFirstBit + b))
                        targets |= (AnnotationTargets)(1 << b);
                return new AnnotationDeclarationSchema(id, displayName, p, scopeId, nested, annotations, parameters, isGeneric, type, targets);
            }

            default:
                throw new CapnpSchemaException($"Node {displayName} has unknown kind {which}.");
        }
    }

    private FieldSchema ReadField(StructReader f, int index, string owner, int dataWords, int pointers)
    {
        string name = f.ReadText(L.Field.NamePtr) ?? throw new CapnpSchemaException($"Struct {owner}: field #{index} has no name.");
        string where = $"{owner}.{name}";
        ushort codeOrder = f.ReadUInt16(L.Field.CodeOrderU16);
        ushort discriminant = f.ReadUInt16(L.Field.DiscriminantValueU16, L.Field.NoDiscriminant);
        ushort? ordinal = f.ReadUInt16(L.Field.OrdinalWhichU16) switch
        {
            L.Field.OrdinalImplicit => null,
            L.Field.OrdinalExplicit => f.ReadUInt16(L.Field.OrdinalExplicitU16),
            var w => throw new CapnpSchemaException($"Field {where}: unknown ordinal kind {w}."),
        };
        var annotations = ReadAnnotations(f.ReadList(L.Field.AnnotationsPtr), where);

        ushort which = f.ReadUInt16(L.Field.WhichU16);
        switch (which)
        {
            case L.Field.WhichSlot:
            {
                uint offset = f.ReadUInt32(L.Field.SlotOffsetU32);
                var type = ReadType(f.ReadStruct(L.Field.SlotTypePtr), 0, where);
                // A Void field's offset is never used to address anything, but every reader and writer takes
                // offsets as int: one past int.MaxValue would overflow there, however harmless the field.
                if (offset > int.MaxValue
                    || (type.IsPointer ? offset >= (uint)pointers : type.DataBits > 0 && ((ulong)offset + 1) * (ulong)type.DataBits > (ulong)dataWords * 64))
                    throw new CapnpSchemaException(
                        $"Field {where} ({type}) at offset {offset} lies outside its struct ({dataWords} data words, {pointers} pointers).");
                var defaultValue = ReadValue(f, L.Field.SlotDefaultValuePtr, type, where);
                bool hadExplicitDefault = f.ReadBool(L.Field.SlotHadExplicitDefaultBit);
                return new FieldSchema(name, index, codeOrder, discriminant, ordinal, annotations, FieldKind.Slot,
                    offset, type, defaultValue, hadExplicitDefault, 0);
            }
            case L.Field.WhichGroup:
                return new FieldSchema(name, index, codeOrder, discriminant, ordinal, annotations, FieldKind.Group,
                    0, null, null, false, f.ReadUInt64(L.Field.GroupTypeIdU64));
            default:
                throw new CapnpSchemaException($"Field {where} has unknown kind {which}.");
        }
    }

    private TypeSchema ReadType(StructReader t, int depth, string where)
    {
        if (depth > MaxTypeDepth)
            throw new SchemaBudgetException($"{where}: type nesting deeper than {MaxTypeDepth}.");
        ushort tag = t.ReadUInt16(L.Type.WhichU16);
        if (tag > L.Type.MaxTag)
            throw new CapnpSchemaException($"{where}: unknown type kind {tag}.");
        var kind = (TypeKind)tag;
        return kind switch
        {
            TypeKind.List => TypeSchema.ListOf(ReadType(t.ReadStruct(L.Type.ListElementTypePtr), depth + 1, where)),
            TypeKind.Enum or TypeKind.Struct or TypeKind.Interface => TypeSchema.Unresolved(kind, t.ReadUInt64(L.Type.TypeIdU64)),
            _ => TypeSchema.Primitive(kind),
        };
    }

    /// <summary>Reads the <c>Value</c> at pointer <paramref name="ptr"/> of <paramref name="owner"/>; with a type, checks it fits.</summary>
    private ValueSchema ReadValue(StructReader owner, int ptr, TypeSchema? type, string where)
    {
        if (owner.IsPointerNull(ptr))
        {
            // No value written: the type's zero value.
            if (type is null) return new ValueSchema(TypeKind.Void, null, false);
            return ZeroValue(type);
        }
        var v = owner.ReadStruct(ptr);
        ushort tag = v.ReadUInt16(L.Value.WhichU16);
        if (tag > L.Type.MaxTag)
            throw new CapnpSchemaException($"{where}: unknown value kind {tag}.");
        var kind = (TypeKind)tag;
        if (type is not null && type.Kind != kind)
            throw new CapnpSchemaException($"{where}: a {kind} value was given for type {type}.");
        switch (kind)
        {
            case TypeKind.Void: return new ValueSchema(kind, null, false);
            case TypeKind.Bool: return new ValueSchema(kind, v.ReadBool(L.Value.BoolBit), false);
            case TypeKind.Int8: return new ValueSchema(kind, v.ReadInt8(L.Value.Int8Byte), false);
            case TypeKind.UInt8: return new ValueSchema(kind, v.ReadUInt8(L.Value.Int8Byte), false);
            case TypeKind.Int16: return new ValueSchema(kind, v.ReadInt16(L.Value.Int16U16), false);
            case TypeKind.UInt16: return new ValueSchema(kind, v.ReadUInt16(L.Value.Int16U16), false);
            case TypeKind.Enum: return new ValueSchema(kind, v.ReadUInt16(L.Value.Int16U16), false);
            case TypeKind.Int32: return new ValueSchema(kind, v.ReadInt32(L.Value.Int32U32), false);
            case TypeKind.UInt32: return new ValueSchema(kind, v.ReadUInt32(L.Value.Int32U32), false);
            case TypeKind.Float32: return new ValueSchema(kind, v.ReadFloat32(L.Value.Int32U32), false);
            case TypeKind.Int64: return new ValueSchema(kind, v.ReadInt64(L.Value.Int64U64), false);
            case TypeKind.UInt64: return new ValueSchema(kind, v.ReadUInt64(L.Value.Int64U64), false);
            case TypeKind.Float64: return new ValueSchema(kind, v.ReadFloat64(L.Value.Int64U64), false);
            case TypeKind.Text:
            {
                string? s = v.ReadText(L.Value.PointerPtr);
                return new ValueSchema(kind, s, s is null);
            }
            case TypeKind.Data:
            {
                byte[]? d = v.ReadData(L.Value.PointerPtr);
                return new ValueSchema(kind, d, d is null);
            }
            case TypeKind.Interface:
                return new ValueSchema(kind, null, false);
            default: // List, Struct, AnyPointer
            {
                bool isNull = v.IsPointerNull(L.Value.PointerPtr);
                var result = new ValueSchema(kind, null, isNull);
                if (!isNull && kind != TypeKind.AnyPointer)
                    _pending.Add(new(result, v, type is null ? () => null : () => type));
                return result;
            }
        }
    }

    internal static ValueSchema ZeroValue(TypeSchema type) => type.Kind switch
    {
        TypeKind.Void => new ValueSchema(type.Kind, null, false),
        TypeKind.Bool => new ValueSchema(type.Kind, false, false),
        TypeKind.Int8 => new ValueSchema(type.Kind, (sbyte)0, false),
        TypeKind.Int16 => new ValueSchema(type.Kind, (short)0, false),
        TypeKind.Int32 => new ValueSchema(type.Kind, 0, false),
        TypeKind.Int64 => new ValueSchema(type.Kind, 0L, false),
        TypeKind.UInt8 => new ValueSchema(type.Kind, (byte)0, false),
        TypeKind.UInt16 => new ValueSchema(type.Kind, (ushort)0, false),
        TypeKind.UInt32 => new ValueSchema(type.Kind, 0u, false),
        TypeKind.UInt64 => new ValueSchema(type.Kind, 0UL, false),
        TypeKind.Float32 => new ValueSchema(type.Kind, 0f, false),
        TypeKind.Float64 => new ValueSchema(type.Kind, 0d, false),
        TypeKind.Enum => new ValueSchema(type.Kind, (ushort)0, false),
        TypeKind.Interface => new ValueSchema(type.Kind, null, false),
        _ => new ValueSchema(type.Kind, null, true),
    };

    // Text and Data values are what a hostile schema can make large (a .NET type description, an original name);
    // a struct or list value is bounded by the reader's traversal limit like the rest of the request.
    private void ChargeAnnotation(ValueSchema value, string where)
    {
        _annotationBytes += value.Value switch
        {
            string s => System.Text.Encoding.UTF8.GetByteCount(s),
            byte[] d => d.Length,
            _ => 0,
        };
        if (_annotationBytes > _budget.MaxAnnotationBytes)
            throw new SchemaBudgetException(
                $"{where}: the annotations hold more than {_budget.MaxAnnotationBytes:N0} bytes of Text and Data; a schema a message carries may hold that many.");
    }

    private IReadOnlyList<AnnotationSchema> ReadAnnotations(ListReader list, string where)
    {
        if (list.Count == 0) return Array.Empty<AnnotationSchema>();
        var result = new AnnotationSchema[list.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var a = list.GetStruct(i);
            ulong id = a.ReadUInt64(L.Annotation.IdU64);
            AnnotationSchema? annotation = null;
            var value = ReadValue(a, L.Annotation.ValuePtr, null, $"{where} annotation 0x{id:x16}");
            ChargeAnnotation(value, where);
            annotation = new AnnotationSchema(id, value);
            result[i] = annotation;
            // Struct/list arguments are decoded with the declaration's type once it is bound.
            int last = _pending.Count - 1;
            if (last >= 0 && ReferenceEquals(_pending[last].Target, value))
            {
                var ann = annotation;
                _pending[last] = _pending[last] with { Type = () => ann.Declaration?.Type };
            }
        }
        return result;
    }
}
