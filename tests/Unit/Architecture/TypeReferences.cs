using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace CapMap.Tests.Architecture;

/// <summary>A type by namespace and name; a nested type is named by its outermost declaring type, whose namespace it shares.</summary>
internal readonly record struct TypeKey(string Namespace, string Name)
{
    public override string ToString() => Namespace.Length == 0 ? Name : Namespace + "." + Name;
}

/// <summary>
/// Which types each type of an assembly uses, read from its metadata and IL (System.Reflection.Metadata, no loading):
/// base types and interfaces, generic constraints, the signatures of fields, methods, properties and events, custom
/// attributes, and every method body's locals, catch clauses and the types, methods and fields its instructions name.
/// That is every way compiled code can depend on a type; a name that only appears in a doc comment is not a use.
/// </summary>
internal static class TypeReferences
{
    private static readonly OpCode[] s_oneByte = new OpCode[0x100];
    private static readonly OpCode[] s_twoByte = new OpCode[0x100];

    static TypeReferences()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            ushort value = unchecked((ushort)code.Value);
            if (code.Size == 1) s_oneByte[value] = code;
            else s_twoByte[value & 0xFF] = code;
        }
    }

    /// <summary>For each type the assembly defines (nested types folded into their outermost type), the types it uses, itself excluded.</summary>
    public static IReadOnlyDictionary<TypeKey, HashSet<TypeKey>> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var result = new Dictionary<TypeKey, HashSet<TypeKey>>();
        foreach (var handle in metadata.TypeDefinitions)
        {
            var owner = Key(metadata, handle);
            if (!result.TryGetValue(owner, out var uses)) result[owner] = uses = new HashSet<TypeKey>();
            new Collector(metadata, pe, uses).VisitType(handle);
            uses.Remove(owner);
        }
        return result;
    }

    private static TypeKey Key(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        var type = metadata.GetTypeDefinition(handle);
        while (type.IsNested) type = metadata.GetTypeDefinition(type.GetDeclaringType());
        return new TypeKey(metadata.GetString(type.Namespace), metadata.GetString(type.Name));
    }

    private static TypeKey Key(MetadataReader metadata, TypeReferenceHandle handle)
    {
        var type = metadata.GetTypeReference(handle);
        while (type.ResolutionScope.Kind == HandleKind.TypeReference)
            type = metadata.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
        return new TypeKey(metadata.GetString(type.Namespace), metadata.GetString(type.Name));
    }

    /// <summary>Adds every type it meets to one set; signatures are decoded only for that side effect.</summary>
    private sealed class Collector(MetadataReader metadata, PEReader pe, HashSet<TypeKey> uses) : ISignatureTypeProvider<object?, object?>
    {
        public void VisitType(TypeDefinitionHandle handle)
        {
            var type = metadata.GetTypeDefinition(handle);
            if (!type.BaseType.IsNil) VisitEntity(type.BaseType);
            foreach (var i in type.GetInterfaceImplementations()) VisitEntity(metadata.GetInterfaceImplementation(i).Interface);
            VisitAttributes(type.GetCustomAttributes());
            VisitGenericParameters(type.GetGenericParameters());
            foreach (var f in type.GetFields())
            {
                var field = metadata.GetFieldDefinition(f);
                field.DecodeSignature(this, null);
                VisitAttributes(field.GetCustomAttributes());
            }
            foreach (var m in type.GetMethods()) VisitMethod(metadata.GetMethodDefinition(m));
            foreach (var p in type.GetProperties())
            {
                var property = metadata.GetPropertyDefinition(p);
                property.DecodeSignature(this, null);
                VisitAttributes(property.GetCustomAttributes());
            }
            foreach (var e in type.GetEvents())
            {
                var ev = metadata.GetEventDefinition(e);
                VisitEntity(ev.Type);
                VisitAttributes(ev.GetCustomAttributes());
            }
        }

        private void VisitMethod(MethodDefinition method)
        {
            method.DecodeSignature(this, null);
            VisitAttributes(method.GetCustomAttributes());
            VisitGenericParameters(method.GetGenericParameters());
            foreach (var p in method.GetParameters()) VisitAttributes(metadata.GetParameter(p).GetCustomAttributes());
            if (method.RelativeVirtualAddress == 0) return;
            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
                metadata.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null);
            foreach (var region in body.ExceptionRegions)
                if (!region.CatchType.IsNil) VisitEntity(region.CatchType);
            VisitInstructions(body.GetILReader());
        }

        private void VisitInstructions(BlobReader il)
        {
            while (il.RemainingBytes > 0)
            {
                byte first = il.ReadByte();
                var code = first == 0xFE ? s_twoByte[il.ReadByte()] : s_oneByte[first];
                switch (code.OperandType)
                {
                    case OperandType.InlineField:
                    case OperandType.InlineMethod:
                    case OperandType.InlineTok:
                    case OperandType.InlineType:
                    case OperandType.InlineSig:
                        VisitEntity(MetadataTokens.EntityHandle(il.ReadInt32()));
                        break;
                    case OperandType.InlineSwitch:
                        int targets = il.ReadInt32(); // read first: `Offset += 4 * ReadInt32()` would add to the offset before the read
                        il.Offset += 4 * targets;
                        break;
                    default:
                        il.Offset += OperandSize(code.OperandType);
                        break;
                }
            }
        }

        private static int OperandSize(OperandType operand) => operand switch
        {
            OperandType.InlineNone => 0,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
            OperandType.InlineVar => 2,
            OperandType.InlineI8 or OperandType.InlineR => 8,
            _ => 4, // InlineBrTarget, InlineI, InlineString, ShortInlineR
        };

        private void VisitEntity(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    uses.Add(Key(metadata, (TypeDefinitionHandle)handle));
                    break;
                case HandleKind.TypeReference:
                    uses.Add(Key(metadata, (TypeReferenceHandle)handle));
                    break;
                case HandleKind.TypeSpecification:
                    metadata.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
                case HandleKind.MemberReference:
                    var member = metadata.GetMemberReference((MemberReferenceHandle)handle);
                    VisitEntity(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method) member.DecodeMethodSignature(this, null);
                    else member.DecodeFieldSignature(this, null);
                    break;
                case HandleKind.MethodDefinition:
                    var method = metadata.GetMethodDefinition((MethodDefinitionHandle)handle);
                    uses.Add(Key(metadata, method.GetDeclaringType()));
                    method.DecodeSignature(this, null);
                    break;
                case HandleKind.FieldDefinition:
                    var field = metadata.GetFieldDefinition((FieldDefinitionHandle)handle);
                    uses.Add(Key(metadata, field.GetDeclaringType()));
                    field.DecodeSignature(this, null);
                    break;
                case HandleKind.MethodSpecification:
                    var spec = metadata.GetMethodSpecification((MethodSpecificationHandle)handle);
                    VisitEntity(spec.Method);
                    spec.DecodeSignature(this, null);
                    break;
                case HandleKind.ModuleReference: // the parent of a global function's reference: no type
                    break;
                case HandleKind.StandaloneSignature:
                    metadata.GetStandaloneSignature((StandaloneSignatureHandle)handle).DecodeMethodSignature(this, null);
                    break;
                default:
                    throw new InvalidOperationException($"An instruction names a {handle.Kind}, which this reader does not know.");
            }
        }

        private void VisitAttributes(CustomAttributeHandleCollection attributes)
        {
            foreach (var a in attributes) VisitEntity(metadata.GetCustomAttribute(a).Constructor);
        }

        private void VisitGenericParameters(GenericParameterHandleCollection parameters)
        {
            foreach (var p in parameters)
                foreach (var c in metadata.GetGenericParameter(p).GetConstraints())
                    VisitEntity(metadata.GetGenericParameterConstraint(c).Type);
        }

        public object? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            uses.Add(Key(reader, handle));
            return null;
        }

        public object? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            uses.Add(Key(reader, handle));
            return null;
        }

        public object? GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);

        public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => null;
        public object? GetArrayType(object? elementType, ArrayShape shape) => null;
        public object? GetByReferenceType(object? elementType) => null;
        public object? GetGenericInstantiation(object? genericType, System.Collections.Immutable.ImmutableArray<object?> typeArguments) => null;
        public object? GetPointerType(object? elementType) => null;
        public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;
        public object? GetGenericMethodParameter(object? genericContext, int index) => null;
        public object? GetGenericTypeParameter(object? genericContext, int index) => null;
        public object? GetPinnedType(object? elementType) => null;
        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;
        public object? GetSZArrayType(object? elementType) => null;
    }
}
