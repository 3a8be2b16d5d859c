using CapMap.Wire;
using L = CapMap.Schema.SchemaCapnpLayout;

namespace CapMap.Schema.Inference;

/// <summary>
/// Writes a <see cref="SchemaSet"/> as a <c>CodeGeneratorRequest</c> (schema.capnp) with CapMap's own wire
/// builder: every node with its names, scopes, nested nodes and annotations; structs with sizes, unions and fields
/// (offsets, types, default values, ordinals); enums, interfaces (methods and superclasses, no brands),
/// constants and annotation declarations; the requested files and the compiler version. What the loader does not
/// keep is not written: brands, method parameter lists, source info, and struct/list annotation arguments whose
/// declaration the set lacks.
/// </summary>
public static class SchemaSetWriter
{
    private const int NodeWords = 5, NodePointers = 6;
    private const int FieldWords = 3, FieldPointers = 4;
    private const int TypeWords = 3, TypePointers = 1;
    private const int ValueWords = 2, ValuePointers = 1;

    /// <summary>The stream-framed bytes of the request; <see cref="SchemaSet.Load(byte[])"/> reads them back to an equal set.</summary>
    public static byte[] Write(SchemaSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        using var arena = new HeapSegmentArena();
        var message = new MessageBuilder(arena);
        var request = message.InitRoot(0, 4);

        var nodes = request.InitStructList(L.CodeGeneratorRequest.NodesPtr, set.Nodes.Count, NodeWords, NodePointers);
        for (int i = 0; i < set.Nodes.Count; i++) WriteNode(nodes.GetStruct(i), set.Nodes[i]);

        var files = request.InitStructList(L.CodeGeneratorRequest.RequestedFilesPtr, set.RequestedFiles.Count, 1, 2);
        for (int i = 0; i < set.RequestedFiles.Count; i++)
        {
            var file = set.RequestedFiles[i];
            var f = files.GetStruct(i);
            f.WriteUInt64(L.RequestedFile.IdU64, file.Id);
            f.SetText(L.RequestedFile.FilenamePtr, file.FileName);
            var imports = f.InitStructList(L.RequestedFile.ImportsPtr, file.Imports.Count, 1, 1);
            for (int j = 0; j < file.Imports.Count; j++)
            {
                var imp = imports.GetStruct(j);
                imp.WriteUInt64(L.Import.IdU64, file.Imports[j].Id);
                imp.SetText(L.Import.NamePtr, file.Imports[j].Name);
            }
        }

        if (set.CapnpVersion is { } v)
        {
            var version = request.InitStruct(L.CodeGeneratorRequest.CapnpVersionPtr, 1, 0);
            version.WriteUInt16(L.CapnpVersion.MajorU16, checked((ushort)v.Major));
            version.WriteUInt8(L.CapnpVersion.MinorU8, checked((byte)v.Minor));
            version.WriteUInt8(L.CapnpVersion.MicroU8, checked((byte)Math.Max(v.Build, 0)));
        }
        return message.ToFramedBytes();
    }

    private static void WriteNode(StructBuilder n, NodeSchema node)
    {
        n.WriteUInt64(L.Node.IdU64, node.Id);
        n.SetText(L.Node.DisplayNamePtr, node.DisplayName);
        n.WriteUInt32(L.Node.DisplayNamePrefixLengthU32, checked((uint)node.DisplayNamePrefixLength));
        n.WriteUInt64(L.Node.ScopeIdU64, node.ScopeId);
        n.WriteBool(L.Node.IsGenericBit, node.IsGeneric);
        if (node.Parameters.Count > 0)
        {
            var parameters = n.InitStructList(L.Node.ParametersPtr, node.Parameters.Count, 0, 1);
            for (int i = 0; i < node.Parameters.Count; i++) parameters.GetStruct(i).SetText(0, node.Parameters[i]);
        }
        var nested = n.InitStructList(L.Node.NestedNodesPtr, node.NestedNodes.Count, 1, 1);
        for (int i = 0; i < node.NestedNodes.Count; i++)
        {
            var nn = nested.GetStruct(i);
            nn.SetText(L.NestedNode.NamePtr, node.NestedNodes[i].Name);
            nn.WriteUInt64(L.NestedNode.IdU64, node.NestedNodes[i].Id);
        }
        WriteAnnotations(n, L.Node.AnnotationsPtr, node.Annotations);
        n.WriteUInt16(L.Node.WhichU16, (ushort)node.Kind);

        switch (node)
        {
            case StructSchema s:
                n.WriteUInt16(L.Node.StructDataWordCountU16, checked((ushort)s.DataWordCount));
                n.WriteUInt16(L.Node.StructPointerCountU16, checked((ushort)s.PointerCount));
                n.WriteUInt16(L.Node.StructPreferredListEncodingU16, (ushort)s.PreferredListEncoding);
                n.WriteBool(L.Node.StructIsGroupBit, s.IsGroup);
                n.WriteUInt16(L.Node.StructDiscriminantCountU16, checked((ushort)s.DiscriminantCount));
                n.WriteUInt32(L.Node.StructDiscriminantOffsetU32, s.DiscriminantOffset);
                var fields = n.InitStructList(L.Node.StructFieldsPtr, s.FieldsInSchemaOrder.Count, FieldWords, FieldPointers);
                for (int i = 0; i < s.FieldsInSchemaOrder.Count; i++) WriteField(fields.GetStruct(i), s.FieldsInSchemaOrder[i]);
                break;
            case EnumSchema e:
                var enumerants = n.InitStructList(L.Node.EnumEnumerantsPtr, e.Enumerants.Count, 1, 2);
                for (int i = 0; i < e.Enumerants.Count; i++)
                {
                    var en = enumerants.GetStruct(i);
                    en.SetText(L.Enumerant.NamePtr, e.Enumerants[i].Name);
                    en.WriteUInt16(L.Enumerant.CodeOrderU16, e.Enumerants[i].CodeOrder);
                    WriteAnnotations(en, L.Enumerant.AnnotationsPtr, e.Enumerants[i].Annotations);
                }
                break;
            case InterfaceSchema itf:
                var methods = n.InitStructList(L.Node.InterfaceMethodsPtr, itf.Methods.Count, 3, 5);
                for (int i = 0; i < itf.Methods.Count; i++)
                {
                    var m = methods.GetStruct(i);
                    m.SetText(L.Method.NamePtr, itf.Methods[i].Name);
                    m.WriteUInt16(L.Method.CodeOrderU16, itf.Methods[i].CodeOrder);
                    m.WriteUInt64(L.Method.ParamStructTypeU64, itf.Methods[i].ParamStructTypeId);
                    m.WriteUInt64(L.Method.ResultStructTypeU64, itf.Methods[i].ResultStructTypeId);
                }
                var supers = n.InitStructList(L.Node.InterfaceSuperclassesPtr, itf.SuperclassIds.Count, 1, 1);
                for (int i = 0; i < itf.SuperclassIds.Count; i++) supers.GetStruct(i).WriteUInt64(0, itf.SuperclassIds[i]);
                break;
            case ConstSchema c:
                WriteType(n.InitStruct(L.Node.ConstTypePtr, TypeWords, TypePointers), c.Type);
                WriteValue(n.InitStruct(L.Node.ConstValuePtr, ValueWords, ValuePointers), c.Value, c.Type);
                break;
            case AnnotationDeclarationSchema a:
                WriteType(n.InitStruct(L.Node.AnnotationTypePtr, TypeWords, TypePointers), a.Type);
                for (int b = 0; b < L.Node.AnnotationTargetCount; b++)
                    n.WriteBool(L.Node.AnnotationTargetsFirstBit + b, (a.Targets & (AnnotationTargets)(1 << b)) != 0);
                break;
        }
    }

    private static void WriteField(StructBuilder f, FieldSchema field)
    {
        f.SetText(L.Field.NamePtr, field.Name);
        f.WriteUInt16(L.Field.CodeOrderU16, field.CodeOrder);
        WriteAnnotations(f, L.Field.AnnotationsPtr, field.Annotations);
        f.WriteUInt16(L.Field.DiscriminantValueU16, field.DiscriminantValue, L.Field.NoDiscriminant);
        if (field.Ordinal is { } ordinal)
        {
            f.WriteUInt16(L.Field.OrdinalWhichU16, L.Field.OrdinalExplicit);
            f.WriteUInt16(L.Field.OrdinalExplicitU16, ordinal);
        }
        if (field.IsGroup)
        {
            f.WriteUInt16(L.Field.WhichU16, L.Field.WhichGroup);
            f.WriteUInt64(L.Field.GroupTypeIdU64, field.GroupTypeId);
            return;
        }
        f.WriteUInt16(L.Field.WhichU16, L.Field.WhichSlot);
        f.WriteUInt32(L.Field.SlotOffsetU32, field.Offset);
        WriteType(f.InitStruct(L.Field.SlotTypePtr, TypeWords, TypePointers), field.Type);
        if (field.DefaultValue is { } def)
            WriteValue(f.InitStruct(L.Field.SlotDefaultValuePtr, ValueWords, ValuePointers), def, field.Type);
        f.WriteBool(L.Field.SlotHadExplicitDefaultBit, field.HadExplicitDefault);
    }

    private static void WriteType(StructBuilder t, TypeSchema type)
    {
        t.WriteUInt16(L.Type.WhichU16, (ushort)type.Kind);
        switch (type.Kind)
        {
            case TypeKind.List:
                WriteType(t.InitStruct(L.Type.ListElementTypePtr, TypeWords, TypePointers), type.ElementType!);
                break;
            case TypeKind.Enum or TypeKind.Struct or TypeKind.Interface:
                t.WriteUInt64(L.Type.TypeIdU64, type.TypeId);
                break;
        }
    }

    private static void WriteAnnotations(StructBuilder owner, int pointer, IReadOnlyList<AnnotationSchema> annotations)
    {
        if (annotations.Count == 0) return;
        var list = owner.InitStructList(pointer, annotations.Count, 1, 2);
        for (int i = 0; i < annotations.Count; i++)
        {
            var a = list.GetStruct(i);
            a.WriteUInt64(L.Annotation.IdU64, annotations[i].Id);
            WriteValue(a.InitStruct(L.Annotation.ValuePtr, ValueWords, ValuePointers), annotations[i].Value, annotations[i].Declaration?.Type);
        }
    }

    private static void WriteValue(StructBuilder v, ValueSchema value, TypeSchema? type)
    {
        v.WriteUInt16(L.Value.WhichU16, (ushort)value.Kind);
        switch (value.Value)
        {
            case null: break;
            case bool b: v.WriteBool(L.Value.BoolBit, b); break;
            case sbyte i8: v.WriteInt8(L.Value.Int8Byte, i8); break;
            case byte u8: v.WriteUInt8(L.Value.Int8Byte, u8); break;
            case short i16: v.WriteInt16(L.Value.Int16U16, i16); break;
            case ushort u16: v.WriteUInt16(L.Value.Int16U16, u16); break;
            case int i32: v.WriteInt32(L.Value.Int32U32, i32); break;
            case uint u32: v.WriteUInt32(L.Value.Int32U32, u32); break;
            case float f32: v.WriteFloat32(L.Value.Int32U32, f32); break;
            case long i64: v.WriteInt64(L.Value.Int64U64, i64); break;
            case ulong u64: v.WriteUInt64(L.Value.Int64U64, u64); break;
            case double f64: v.WriteFloat64(L.Value.Int64U64, f64); break;
            case string s: v.SetText(L.Value.PointerPtr, s); break;
            case byte[] d: v.SetData(L.Value.PointerPtr, d); break;
            case StructValue sv:
                DynamicValueWriter.WriteStruct(v.InitStruct(L.Value.PointerPtr, sv.Schema.DataWordCount, sv.Schema.PointerCount), sv.Schema, sv);
                break;
            case IReadOnlyList<object?> list when type is { Kind: TypeKind.List, ElementType: { } element }:
                DynamicValueWriter.WriteList(new DynamicValueWriter.ListTarget(v, L.Value.PointerPtr), element, list);
                break;
        }
    }
}
