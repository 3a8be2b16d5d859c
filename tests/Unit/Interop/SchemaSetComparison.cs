using CapMap.Schema;
using Xunit;

namespace CapMap.Tests.Interop;

/// <summary>
/// Asserts that two schema sets declare the same nodes with the same layout: what a reader or writer of a message
/// depends on (ids, sizes, offsets, ordinals, discriminants, types, defaults) and what the schema says besides
/// (names, code order, enumerants, methods, constants, annotations). Nodes are matched by id; a node of an
/// imported file may sit in another scope in <paramref name="actual"/>, so only the short name is compared there.
/// </summary>
internal static class SchemaSetComparison
{
    public static void AssertSameNodes(SchemaSet expected, SchemaSet actual)
    {
        var mainFile = expected.RequestedFiles[0].FileName;
        foreach (var node in expected.Nodes)
        {
            if (node is FileSchema) continue;
            var other = actual.TryGetById(node.Id);
            Assert.True(other is not null, $"{node} is missing from the compiled text");
            Assert.Equal(node.Kind, other!.Kind);
            if (node.FileName == mainFile && !IsMethodStruct(node)) Assert.Equal(node.DisplayName, other.DisplayName);
            else Assert.Equal(node.ShortName, other.ShortName);
            Assert.Equal(node.Parameters, other.Parameters);
            AssertAnnotations(node.Annotations, other.Annotations, node.DisplayName);
            switch (node)
            {
                case StructSchema s: AssertStruct(s, (StructSchema)other); break;
                case EnumSchema e: AssertEnum(e, (EnumSchema)other); break;
                case InterfaceSchema i: AssertInterface(i, (InterfaceSchema)other); break;
                case ConstSchema c:
                    AssertType(c.Type, ((ConstSchema)other).Type, c.DisplayName);
                    Assert.Equal(c.Value.ToString(), ((ConstSchema)other).Value.ToString());
                    break;
                case AnnotationDeclarationSchema a:
                    AssertType(a.Type, ((AnnotationDeclarationSchema)other).Type, a.DisplayName);
                    Assert.Equal(a.Targets, ((AnnotationDeclarationSchema)other).Targets);
                    break;
            }
        }
    }

    // The structs the compiler makes from a parameter list are named after their method in its interface's scope.
    private static bool IsMethodStruct(NodeSchema node) => node.ScopeId == 0 && node.ShortName.Contains('$');

    private static void AssertStruct(StructSchema s, StructSchema o)
    {
        string at = s.DisplayName;
        Assert.True((s.DataWordCount, s.PointerCount, s.IsGroup, s.DiscriminantCount, s.DiscriminantOffset, s.PreferredListEncoding)
            == (o.DataWordCount, o.PointerCount, o.IsGroup, o.DiscriminantCount, o.DiscriminantOffset, o.PreferredListEncoding),
            $"{at}: sections ({s.DataWordCount}, {s.PointerCount}, group {s.IsGroup}, union {s.DiscriminantCount} @{s.DiscriminantOffset}, {s.PreferredListEncoding})"
            + $" became ({o.DataWordCount}, {o.PointerCount}, group {o.IsGroup}, union {o.DiscriminantCount} @{o.DiscriminantOffset}, {o.PreferredListEncoding})");
        Assert.Equal(s.FieldsInSchemaOrder.Select(f => f.Name), o.FieldsInSchemaOrder.Select(f => f.Name));
        for (int i = 0; i < s.FieldsInSchemaOrder.Count; i++)
        {
            var f = s.FieldsInSchemaOrder[i];
            var g = o.FieldsInSchemaOrder[i];
            string where = $"{at}.{f.Name}";
            Assert.True((f.Kind, f.Offset, f.Ordinal, f.CodeOrder, f.DiscriminantValue, f.HadExplicitDefault, f.GroupTypeId)
                == (g.Kind, g.Offset, g.Ordinal, g.CodeOrder, g.DiscriminantValue, g.HadExplicitDefault, g.GroupTypeId),
                $"{where}: ({f.Kind}, offset {f.Offset}, @{f.Ordinal}, code order {f.CodeOrder}, discriminant {f.DiscriminantValue}, explicit default {f.HadExplicitDefault}, group 0x{f.GroupTypeId:x16})"
                + $" became ({g.Kind}, offset {g.Offset}, @{g.Ordinal}, code order {g.CodeOrder}, discriminant {g.DiscriminantValue}, explicit default {g.HadExplicitDefault}, group 0x{g.GroupTypeId:x16})");
            AssertAnnotations(f.Annotations, g.Annotations, where);
            if (f.IsGroup) continue;
            AssertType(f.Type, g.Type, where);
            AssertValue(f.DefaultValue, g.DefaultValue, where);
        }
    }

    private static void AssertEnum(EnumSchema e, EnumSchema o)
    {
        Assert.Equal(e.Enumerants.Select(x => (x.Name, x.Ordinal, x.CodeOrder)), o.Enumerants.Select(x => (x.Name, x.Ordinal, x.CodeOrder)));
        for (int i = 0; i < e.Enumerants.Count; i++)
            AssertAnnotations(e.Enumerants[i].Annotations, o.Enumerants[i].Annotations, $"{e.DisplayName}.{e.Enumerants[i].Name}");
    }

    private static void AssertInterface(InterfaceSchema i, InterfaceSchema o)
    {
        Assert.Equal(i.Methods, o.Methods);
        Assert.Equal(i.SuperclassIds, o.SuperclassIds);
    }

    private static void AssertType(TypeSchema t, TypeSchema u, string where)
    {
        Assert.True((t.Kind, t.TypeId) == (u.Kind, u.TypeId), $"{where}: type {t} (0x{t.TypeId:x16}) became {u} (0x{u.TypeId:x16})");
        if (t.ElementType is { } e) AssertType(e, u.ElementType!, where);
    }

    private static void AssertValue(ValueSchema? v, ValueSchema? w, string where)
    {
        Assert.True((v?.Kind, v?.IsNull, v?.ToString()) == (w?.Kind, w?.IsNull, w?.ToString()), $"{where}: value {v} became {w}");
        // NaN and -0 print like other values; their bits must survive too.
        if (v?.Value is double d) Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)w!.Value!));
        if (v?.Value is float f) Assert.Equal(BitConverter.SingleToInt32Bits(f), BitConverter.SingleToInt32Bits((float)w!.Value!));
    }

    private static void AssertAnnotations(IReadOnlyList<AnnotationSchema> a, IReadOnlyList<AnnotationSchema> b, string where)
    {
        // Annotations whose declaration the set lacks cannot be written; every other one must come back as it was.
        var known = a.Where(x => x.Declaration is not null).Select(x => (x.Id, x.Value.ToString())).OrderBy(x => x.Id).ToList();
        var back = b.Where(x => x.Declaration is not null).Select(x => (x.Id, x.Value.ToString())).OrderBy(x => x.Id).ToList();
        Assert.True(known.SequenceEqual(back), $"{where}: annotations [{string.Join(", ", known)}] became [{string.Join(", ", back)}]");
    }
}
