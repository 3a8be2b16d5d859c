using System.Globalization;
using System.Text;
using CapMap.Schema.Inference;

namespace CapMap.Schema;

/// <summary>
/// Writes any <see cref="SchemaSet"/> as one <c>.capnp</c> file that <c>capnp compile</c> accepts and lays out
/// exactly as the set: every struct, enum, interface, const and annotation keeps its id (<c>@0x…</c>), every field
/// its ordinal, code order and union membership (named and unnamed unions, groups), defaults and the annotations
/// whose declarations the set holds.
/// <para>
/// One file stands for all the set's files: the main file's declarations are written as they were, and those of
/// each other file (an import) inside a struct named after that file, which is a scope and nothing more. File-level
/// annotations of imported files have no place there and are left out, as are the annotations the set holds no
/// declaration for. Generic parameters are kept; a field of a parameter's type and a branded reference are written
/// as <c>AnyPointer</c> and the bare generic, which lay out the same (the loaded set keeps no brands).
/// </para>
/// </summary>
public static class SchemaSetTextWriter
{
    private static readonly string[] TargetNames =
        ["file", "const", "enum", "enumerant", "struct", "field", "union", "group", "interface", "method", "param", "annotation"];

    /// <summary>The text of <paramref name="set"/>, with the file of <paramref name="mainNode"/> (default: the first requested file) as the main file.</summary>
    /// <exception cref="CapnpSchemaException">A value in the set has no literal form (see <see cref="CapnpLiteral"/>), or a reference names a node the set lacks.</exception>
    public static string Write(SchemaSet set, NodeSchema? mainNode = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        return new Emitter(set, FileOf(set, mainNode)).Write();
    }

    private static FileSchema? FileOf(SchemaSet set, NodeSchema? node)
    {
        for (var n = node; n is not null; n = n.Parent)
            if (n is FileSchema f) return f;
        return set.RequestedFiles.Select(r => r.File).FirstOrDefault(f => f is not null)
            ?? set.Nodes.OfType<FileSchema>().FirstOrDefault();
    }

    private sealed class Emitter(SchemaSet set, FileSchema? mainFile)
    {
        private readonly SchemaTextNames _names = new();
        private readonly StringBuilder _body = new();
        private readonly HashSet<ulong> _methodStructs = new();
        private readonly List<(FileSchema File, SchemaTextScope Scope, ulong Id)> _namespaces = new();
        private readonly List<NodeSchema> _orphans = new();

        public string Write()
        {
            DeclareAll();
            if (mainFile is not null)
            {
                foreach (var a in mainFile.Annotations)
                    if (AnnotationText(a, _names.File, mainFile.DisplayName) is { } annotation)
                        _body.Append(annotation.TrimStart()).Append(";\n");
                WriteNested(mainFile, _names.File, 0);
            }
            foreach (var node in _orphans) WriteNode(node, _names.File, 0);
            foreach (var (file, scope, id) in _namespaces)
            {
                _body.Append(CultureInfo.InvariantCulture, $"\n# The declarations of {file.DisplayName}.\nstruct {scope.Name} @0x{id:x16} {{\n");
                WriteNested(file, scope, 1);
                _body.Append("}\n");
            }

            var text = new StringBuilder("# Schema written by CapMap from a compiled schema; node ids and field ordinals keep its layout.\n");
            if (mainFile is not null) text.Append(CultureInfo.InvariantCulture, $"@0x{mainFile.Id:x16};\n");
            foreach (var (alias, target) in _names.Aliases) text.Append(CultureInfo.InvariantCulture, $"using {alias} = {target};\n");
            return text.Append(_body).ToString();
        }

        // ---- naming: every declaration's scope, before any reference is written ----

        private void DeclareAll()
        {
            foreach (var itf in set.Nodes.OfType<InterfaceSchema>())
                foreach (var m in itf.Methods)
                    foreach (ulong id in new[] { m.ParamStructTypeId, m.ResultStructTypeId })
                        if (IsMethodStruct(set.TryGetById(id))) _methodStructs.Add(id);

            if (mainFile is not null) DeclareNested(mainFile, _names.File);
            foreach (var file in set.Nodes.OfType<FileSchema>())
            {
                if (ReferenceEquals(file, mainFile) || file.NestedNodes.Count == 0) continue;
                // "c++.capnp" → Cxx: the file's base name as a type name.
                string name = _names.Unused(CapnpIdentifiers.ToTypeIdentifier(Path.GetFileNameWithoutExtension(file.DisplayName).Replace('+', 'x')));
                var scope = _names.Declare(name, _names.File);
                _namespaces.Add((file, scope, InferredSchema.ChildId(mainFile?.Id ?? file.Id, $"file 0x{file.Id:x16}")));
                DeclareNested(file, scope);
            }
            foreach (var node in set.Nodes)
            {
                if (node is FileSchema or StructSchema { IsGroup: true } || _methodStructs.Contains(node.Id) || _names.IsDeclared(node.Id)) continue;
                _orphans.Add(node);
                DeclareNode(node, _names.Unused(node.ShortName), _names.File);
            }
        }

        private void DeclareNested(NodeSchema owner, SchemaTextScope ownerScope)
        {
            foreach (var nested in owner.NestedNodes)
                if (set.TryGetById(nested.Id) is { } node && !_names.IsDeclared(node.Id))
                    DeclareNode(node, nested.Name, ownerScope);
        }

        private void DeclareNode(NodeSchema node, string name, SchemaTextScope parent)
        {
            var scope = _names.Declare(name, parent, node.Id);
            foreach (var p in node.Parameters) _names.DeclareParameter(p, scope);
            DeclareNested(node, scope);
        }

        private static bool IsMethodStruct(NodeSchema? node) =>
            node is StructSchema { IsGroup: false } s && s.ScopeId == 0 && s.ShortName.Contains('$');

        // ---- declarations ----

        private void WriteNested(NodeSchema owner, SchemaTextScope ownerScope, int depth)
        {
            foreach (var nested in owner.NestedNodes)
                if (set.TryGetById(nested.Id) is { } node && _names.ScopeOf(node.Id, owner.DisplayName).Parent == ownerScope)
                    WriteNode(node, ownerScope, depth);
        }

        private void WriteNode(NodeSchema node, SchemaTextScope parent, int depth)
        {
            var scope = _names.ScopeOf(node.Id, node.DisplayName);
            string indent = new(' ', depth * 2);
            string head = $"{scope.Name} @0x{node.Id:x16}{Parameters(node)}";
            if (depth == 0 && node is StructSchema or EnumSchema or InterfaceSchema) _body.Append('\n');
            switch (node)
            {
                case StructSchema s:
                    _body.Append(indent).Append("struct ").Append(head).Append(Annotations(node.Annotations, scope, node.DisplayName)).Append(" {\n");
                    WriteMembers(s, scope, depth + 1);
                    WriteNested(node, scope, depth + 1);
                    _body.Append(indent).Append("}\n");
                    break;
                case EnumSchema e:
                    _body.Append(indent).Append("enum ").Append(head).Append(Annotations(node.Annotations, scope, node.DisplayName)).Append(" {\n");
                    foreach (var en in e.Enumerants.OrderBy(x => x.CodeOrder).ThenBy(x => x.Ordinal))
                        _body.Append(indent).Append(CultureInfo.InvariantCulture, $"  {en.Name} @{en.Ordinal}")
                            .Append(Annotations(en.Annotations, scope, $"{node.DisplayName}.{en.Name}")).Append(";\n");
                    WriteNested(node, scope, depth + 1);
                    _body.Append(indent).Append("}\n");
                    break;
                case InterfaceSchema itf:
                    _body.Append(indent).Append("interface ").Append(head);
                    if (itf.SuperclassIds.Count > 0)
                        _body.Append(" extends(").Append(string.Join(", ", itf.SuperclassIds.Select(id => _names.Reference(id, parent, node.DisplayName)))).Append(')');
                    _body.Append(Annotations(node.Annotations, scope, node.DisplayName)).Append(" {\n");
                    for (int i = 0; i < itf.Methods.Count; i++) WriteMethod(itf.Methods[i], i, scope, node.DisplayName, depth + 1);
                    WriteNested(node, scope, depth + 1);
                    _body.Append(indent).Append("}\n");
                    break;
                case ConstSchema c:
                    _body.Append(indent).Append("const ").Append(head).Append(" :").Append(TypeName(c.Type, parent, node.DisplayName))
                        .Append(" = ").Append(ValueText(c.Value, c.Type, node.DisplayName))
                        .Append(Annotations(node.Annotations, parent, node.DisplayName)).Append(";\n");
                    break;
                case AnnotationDeclarationSchema a:
                    _body.Append(indent).Append("annotation ").Append(head).Append(" (").Append(Targets(a.Targets)).Append(") :")
                        .Append(TypeName(a.Type, parent, node.DisplayName)).Append(Annotations(node.Annotations, parent, node.DisplayName)).Append(";\n");
                    break;
            }
        }

        private static string Parameters(NodeSchema node) => node.Parameters.Count == 0 ? "" : $" ({string.Join(", ", node.Parameters)})";

        private static string Targets(AnnotationTargets targets) =>
            (int)targets == (1 << TargetNames.Length) - 1
                ? "*"
                : string.Join(", ", TargetNames.Where((_, bit) => (targets & (AnnotationTargets)(1 << bit)) != 0));

        /// <summary>
        /// The members of a struct or group in code order; the unnamed union's members go together in one
        /// <c>union { }</c> block where its first member stands.
        /// </summary>
        private void WriteMembers(StructSchema s, SchemaTextScope scope, int depth)
        {
            string indent = new(' ', depth * 2);
            bool unionWritten = false;
            foreach (var field in s.Fields)
            {
                if (!field.IsInUnion)
                {
                    WriteField(field, scope, depth);
                    continue;
                }
                if (unionWritten) continue;
                unionWritten = true;
                _body.Append(indent).Append("union {\n");
                foreach (var member in s.Fields.Where(f => f.IsInUnion)) WriteField(member, scope, depth + 1);
                _body.Append(indent).Append("}\n");
            }
        }

        private void WriteField(FieldSchema field, SchemaTextScope scope, int depth)
        {
            string indent = new(' ', depth * 2);
            string where = $"{field.DeclaringStruct.DisplayName}.{field.Name}";
            if (field.IsGroup)
            {
                var group = field.GroupType!;
                // A group of nothing but a union is what `name :union { }` declares.
                bool namedUnion = group.HasUnion && group.NonUnionFields.Count == 0;
                _body.Append(indent).Append(field.Name).Append(namedUnion ? " :union" : " :group")
                    .Append(Annotations(field.Annotations.Concat(group.Annotations).DistinctBy(a => a.Id).ToList(), scope, where)).Append(" {\n");
                if (namedUnion)
                    foreach (var member in group.Fields) WriteField(member, scope, depth + 1);
                else
                    WriteMembers(group, scope, depth + 1);
                _body.Append(indent).Append("}\n");
                return;
            }
            _body.Append(indent).Append(CultureInfo.InvariantCulture, $"{field.Name} @{field.Ordinal} :{TypeName(field.Type, scope, where)}");
            AppendDefault(field, scope, where);
            _body.Append(Annotations(field.Annotations, scope, where)).Append(";\n");
        }

        private void AppendDefault(FieldSchema field, SchemaTextScope scope, string where)
        {
            if (!field.HadExplicitDefault || field.DefaultValue is not { } value || (value.IsNull && field.Type.IsPointer)) return;
            _body.Append(" = ").Append(ValueText(value, field.Type, where));
        }

        private void WriteMethod(MethodSchema method, int ordinal, SchemaTextScope scope, string owner, int depth)
        {
            string where = $"{owner}.{method.Name}";
            _body.Append(new string(' ', depth * 2)).Append(CultureInfo.InvariantCulture, $"{method.Name} @{ordinal} ")
                .Append(MethodStruct(method.ParamStructTypeId, scope, where)).Append(" -> ")
                .Append(MethodStruct(method.ResultStructTypeId, scope, where)).Append(";\n");
        }

        /// <summary>A method's parameters or results: inline <c>(a :T, …)</c> for the struct the compiler made from such a list, else the struct's name.</summary>
        private string MethodStruct(ulong id, SchemaTextScope scope, string where)
        {
            if (!_methodStructs.Contains(id)) return _names.Reference(id, scope, where);
            var s = (StructSchema)set.GetById(id);
            return "(" + string.Join(", ", s.Fields.Select(f =>
            {
                var sb = new StringBuilder($"{f.Name} :{TypeName(f.Type, scope, where)}");
                if (f.HadExplicitDefault && f.DefaultValue is { } d && !(d.IsNull && f.Type.IsPointer))
                    sb.Append(" = ").Append(ValueText(d, f.Type, $"{where}.{f.Name}"));
                return sb.Append(Annotations(f.Annotations, scope, $"{where}.{f.Name}")).ToString();
            })) + ")";
        }

        // ---- types, values, annotations ----

        private string TypeName(TypeSchema type, SchemaTextScope from, string where) => type.Kind switch
        {
            TypeKind.List => $"List({TypeName(type.ElementType!, from, where)})",
            TypeKind.Struct or TypeKind.Enum or TypeKind.Interface => _names.Reference(type.TypeId, from, where),
            _ => type.Kind.ToString(),
        };

        private static string ValueText(ValueSchema value, TypeSchema type, string where)
        {
            if (!value.IsMaterialized)
                throw new CapnpSchemaException($"{where}: its {value.Kind} value cannot be written as text (CapMap does not decode {value.Kind} values).");
            return CapnpLiteral.Format(value.Value, type, where);
        }

        private string Annotations(IReadOnlyList<AnnotationSchema> annotations, SchemaTextScope from, string where)
        {
            var sb = new StringBuilder();
            foreach (var a in annotations) sb.Append(AnnotationText(a, from, where));
            return sb.ToString();
        }

        /// <summary><c> $name(value)</c>, or null for an annotation whose declaration the set does not hold.</summary>
        private string? AnnotationText(AnnotationSchema annotation, SchemaTextScope from, string where)
        {
            if (annotation.Declaration is not { } declaration || !_names.IsDeclared(declaration.Id)) return null;
            string name = _names.Reference(declaration.Id, from, where);
            if (declaration.Type.Kind == TypeKind.Void) return $" ${name}";
            string value = ValueText(annotation.Value, declaration.Type, $"{where} ${declaration.ShortName}");
            // A struct argument is written as its field list: $ann(a = 1), not $ann((a = 1)).
            return declaration.Type.Kind == TypeKind.Struct ? $" ${name}{value}" : $" ${name}({value})";
        }
    }
}
