using CapMap.Schema;
using CapMap.Tests.Interop;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Schema;

public class SchemaModelTests
{
    private static SchemaSet Set => InteropSchema.Set;
    private static StructSchema AllTypes => InteropSchema.AllTypes;

    [Fact]
    public void CommittedRequestMatchesLiveCompile()
    {
        // tests/Unit/Schemas/interop.capnp.bin must be regenerated (capnp compile -o- interop.capnp > interop.capnp.bin,
        // run in that folder) whenever interop.capnp or common.capnp changes.
        byte[] committed = File.ReadAllBytes(Path.Combine(CapnpTool.SchemaDirectory, "interop.capnp.bin"));
        Assert.True(committed.AsSpan().SequenceEqual(InteropSchema.RequestBytes),
            "interop.capnp.bin is stale: regenerate it with `capnp compile -o- interop.capnp > interop.capnp.bin` in tests/Unit/Schemas.");
    }

    [Fact]
    public void LoadFileReadsTheCommittedRequest()
    {
        var set = SchemaSet.LoadFile(Path.Combine(CapnpTool.SchemaDirectory, "interop.capnp.bin"));
        Assert.Equal(Set.Nodes.Select(n => n.DisplayName), set.Nodes.Select(n => n.DisplayName));
        var allTypes = set.GetStruct("AllTypes");
        Assert.Equal(18, allTypes.DataWordCount);
        Assert.Equal(26, allTypes.PointerCount);
    }

    [Fact]
    public void RequestedFilesAndImports()
    {
        var file = Assert.Single(Set.RequestedFiles);
        Assert.Equal("interop.capnp", file.FileName);
        Assert.Equal(0xb4efe89d7e9b1dc8UL, file.Id);
        Assert.NotNull(file.File);
        Assert.Equal(NodeKind.File, file.File!.Kind);
        var import = Assert.Single(file.Imports);
        Assert.Equal("common.capnp", import.Name);
        Assert.Equal(0xf9fd5d27cd31cfc1UL, import.Id);
        Assert.Equal(new Version(0, 9, 2), Set.CapnpVersion);
    }

    [Fact]
    public void AllTypesLayout()
    {
        Assert.Equal(0xf065206f68bf2da7UL, AllTypes.Id);
        Assert.Equal("interop.capnp:AllTypes", AllTypes.DisplayName);
        Assert.Equal("AllTypes", AllTypes.ShortName);
        Assert.Equal("AllTypes", AllTypes.NestedName);
        Assert.Equal("interop.capnp", AllTypes.FileName);
        Assert.Equal(0xb4efe89d7e9b1dc8UL, AllTypes.ScopeId);
        Assert.Equal(NodeKind.File, AllTypes.Parent!.Kind);
        Assert.False(AllTypes.IsGroup);
        Assert.Equal(18, AllTypes.DataWordCount);   // 144 bytes
        Assert.Equal(26, AllTypes.PointerCount);
        Assert.Equal(ElementSize.InlineComposite, AllTypes.PreferredListEncoding);
        Assert.Equal(5, AllTypes.DiscriminantCount);
        Assert.Equal(45u, AllTypes.DiscriminantOffset); // tag bits [720, 736)
        Assert.True(AllTypes.HasUnion);
        Assert.Equal(64 - 11 + 3, AllTypes.Fields.Count); // 64 ordinals; 11 live in groups; plus 3 group fields
        Assert.Equal(Enumerable.Range(0, AllTypes.Fields.Count), AllTypes.Fields.Select(f => (int)f.CodeOrder));
        Assert.Equal("voidField", AllTypes.Fields[0].Name);
        Assert.Equal("points", AllTypes.Fields[^1].Name);
    }

    [Theory]
    // name, kind, offset (units of the field's size), ordinal
    [InlineData("voidField", TypeKind.Void, 0u, 0)]
    [InlineData("boolField", TypeKind.Bool, 0u, 1)]
    [InlineData("int8Field", TypeKind.Int8, 1u, 2)]
    [InlineData("int16Field", TypeKind.Int16, 1u, 3)]
    [InlineData("int32Field", TypeKind.Int32, 1u, 4)]
    [InlineData("int64Field", TypeKind.Int64, 1u, 5)]
    [InlineData("uInt8Field", TypeKind.UInt8, 16u, 6)]
    [InlineData("uInt16Field", TypeKind.UInt16, 9u, 7)]
    [InlineData("uInt32Field", TypeKind.UInt32, 5u, 8)]
    [InlineData("uInt64Field", TypeKind.UInt64, 3u, 9)]
    [InlineData("float32Field", TypeKind.Float32, 8u, 10)]
    [InlineData("float64Field", TypeKind.Float64, 5u, 11)]
    [InlineData("textField", TypeKind.Text, 0u, 12)]
    [InlineData("dataField", TypeKind.Data, 1u, 13)]
    [InlineData("enumField", TypeKind.Enum, 18u, 14)]
    [InlineData("structField", TypeKind.Struct, 2u, 15)]
    [InlineData("voidList", TypeKind.List, 3u, 16)]
    [InlineData("enumList", TypeKind.List, 15u, 28)]
    [InlineData("defaultBool", TypeKind.Bool, 1u, 29)]
    [InlineData("defaultUInt8", TypeKind.UInt8, 52u, 34)]
    [InlineData("defaultEnum", TypeKind.Enum, 44u, 40)]
    [InlineData("defaultInt32List", TypeKind.List, 19u, 44)]
    [InlineData("point", TypeKind.Struct, 24u, 61)]
    [InlineData("shade", TypeKind.Enum, 68u, 62)]
    public void SlotOffsetsAndTypes(string name, TypeKind kind, uint offset, int ordinal)
    {
        var f = AllTypes.GetField(name);
        Assert.Equal(FieldKind.Slot, f.Kind);
        Assert.Equal(kind, f.Type.Kind);
        Assert.Equal(offset, f.Offset);
        Assert.Equal((ushort)ordinal, f.Ordinal);
        Assert.Equal(FieldSchema.NoDiscriminant, f.DiscriminantValue);
        Assert.False(f.IsInUnion);
        Assert.Same(AllTypes, f.DeclaringStruct);
        Assert.Same(f, AllTypes.GetField(name.ToUpperInvariant())); // case-insensitive lookup
    }

    [Fact]
    public void TypesAreResolved()
    {
        Assert.Equal("List(Void)", AllTypes.GetField("voidList").Type.ToString());
        Assert.Equal("List(Bool)", AllTypes.GetField("boolList").Type.ToString());
        Assert.Equal("List(Int8)", AllTypes.GetField("int8List").Type.ToString());
        Assert.Equal("List(UInt16)", AllTypes.GetField("uInt16List").Type.ToString());
        Assert.Equal("List(Int32)", AllTypes.GetField("int32List").Type.ToString());
        Assert.Equal("List(Float32)", AllTypes.GetField("float32List").Type.ToString());
        Assert.Equal("List(Int64)", AllTypes.GetField("int64List").Type.ToString());
        Assert.Equal("List(Float64)", AllTypes.GetField("float64List").Type.ToString());
        Assert.Equal("List(Text)", AllTypes.GetField("textList").Type.ToString());
        Assert.Equal("List(Data)", AllTypes.GetField("dataList").Type.ToString());
        Assert.Equal("List(AllTypes.Inner)", AllTypes.GetField("structList").Type.ToString());
        Assert.Equal("List(List(Int32))", AllTypes.GetField("int32ListList").Type.ToString());
        Assert.Equal("List(Color)", AllTypes.GetField("enumList").Type.ToString());

        var inner = Set.GetStruct("AllTypes.Inner");
        Assert.Same(inner, AllTypes.GetField("structField").Type.StructType);
        Assert.Same(inner, AllTypes.GetField("structList").Type.ElementType!.StructType);
        Assert.Same(Set.GetEnum("Color"), AllTypes.GetField("enumField").Type.EnumType);
        Assert.Same(Set.GetEnum("Color"), AllTypes.GetField("enumList").Type.ElementType!.EnumType);
        Assert.Equal(TypeKind.Int32, AllTypes.GetField("int32ListList").Type.ElementType!.ElementType!.Kind);
        Assert.True(AllTypes.GetField("textField").Type.IsPointer);
        Assert.False(AllTypes.GetField("enumField").Type.IsPointer);
        Assert.Equal(16, AllTypes.GetField("enumField").Type.DataBits);
    }

    [Fact]
    public void ImplicitDefaults()
    {
        foreach (var f in AllTypes.Fields.Where(f => !f.IsGroup && !f.Name.StartsWith("default") && f.Name != "shade"))
        {
            Assert.False(f.HadExplicitDefault, f.Name);
            var v = f.DefaultValue!;
            Assert.Equal(f.Type.Kind, v.Kind);
            if (f.Type.IsPointer)
            {
                Assert.True(v.IsNull, f.Name);
                Assert.Null(v.Value);
            }
            else if (f.Type.Kind == TypeKind.Void)
                Assert.Null(v.Value);
            else
                Assert.Equal(0.0, Convert.ToDouble(v.Value), 0.0);
        }
    }

    [Fact]
    public void ExplicitDefaultsAreDecodedAsExactTypes()
    {
        object? Def(string name)
        {
            var f = AllTypes.GetField(name);
            Assert.True(f.HadExplicitDefault, name);
            return f.DefaultValue!.Value;
        }

        Assert.True(Assert.IsType<bool>(Def("defaultBool")));
        Assert.Equal((sbyte)-5, Assert.IsType<sbyte>(Def("defaultInt8")));
        Assert.Equal((short)-1234, Assert.IsType<short>(Def("defaultInt16")));
        Assert.Equal(123456, Assert.IsType<int>(Def("defaultInt32")));
        Assert.Equal(-9000000000L, Assert.IsType<long>(Def("defaultInt64")));
        Assert.Equal((byte)200, Assert.IsType<byte>(Def("defaultUInt8")));
        Assert.Equal((ushort)60000, Assert.IsType<ushort>(Def("defaultUInt16")));
        Assert.Equal(4000000000u, Assert.IsType<uint>(Def("defaultUInt32")));
        Assert.Equal(18000000000000000000UL, Assert.IsType<ulong>(Def("defaultUInt64")));
        Assert.Equal(1.5f, Assert.IsType<float>(Def("defaultFloat32")));
        Assert.Equal(-2.25e10, Assert.IsType<double>(Def("defaultFloat64")));
        Assert.Equal((ushort)2, Assert.IsType<ushort>(Def("defaultEnum"))); // blue
        Assert.Equal("hello default", Assert.IsType<string>(Def("defaultText")));
        Assert.Equal(new byte[] { 1, 2, 0xfe, 0xff }, Assert.IsType<byte[]>(Def("defaultData")));
        Assert.Equal(new object[] { 1, -2, 3 }, Assert.IsAssignableFrom<IReadOnlyList<object?>>(Def("defaultInt32List")));
        Assert.Equal((ushort)2, Assert.IsType<ushort>(Def("shade"))); // common.capnp Shade.dark

        var s = Assert.IsType<StructValue>(Def("defaultStruct"));
        Assert.Same(Set.GetStruct("AllTypes.Inner"), s.Schema);
        Assert.Equal(7u, s["id"]);
        Assert.Equal("seven", s["name"]);
        Assert.Equal(new object[] { "a", "b" }, Assert.IsAssignableFrom<IReadOnlyList<object?>>(s["tags"]));
        Assert.Equal((ushort)1, s["color"]); // Inner.color defaults to green
        Assert.Null(s["deep"]);
        Assert.Null(s.Which);

        var deep = Set.GetStruct("AllTypes.Inner.Deep");
        Assert.Equal(true, deep.GetField("flag").DefaultValue!.Value);
        Assert.Equal((ushort)1, Set.GetStruct("AllTypes.Inner").GetField("color").DefaultValue!.Value);
    }

    [Fact]
    public void UnnamedUnionMembers()
    {
        var members = AllTypes.UnionFields;
        Assert.Equal(new[] { "unsetChoice", "choiceInt", "choiceText", "choiceStruct", "choiceFloat" }, members.Select(f => f.Name));
        Assert.Equal(new ushort[] { 0, 1, 2, 3, 4 }, members.Select(f => f.DiscriminantValue));
        Assert.Equal(TypeKind.Void, members[0].Type.Kind);
        Assert.Equal(TypeKind.Struct, members[3].Type.Kind);
        Assert.Equal(20u, members[2].Offset);
        Assert.Equal(20u, members[3].Offset); // text and struct share a pointer slot
        Assert.Equal(12u, members[4].Offset);
        Assert.Same(members[1], AllTypes.GetUnionField(1));
        Assert.Null(AllTypes.GetUnionField(5));
        Assert.DoesNotContain(AllTypes.NonUnionFields, f => f.IsInUnion);
    }

    [Fact]
    public void NamedUnionIsAGroupWithAUnion()
    {
        var shapeField = AllTypes.GetField("shape");
        Assert.True(shapeField.IsGroup);
        Assert.Null(shapeField.Ordinal);
        Assert.Equal(FieldSchema.NoDiscriminant, shapeField.DiscriminantValue);
        var shape = shapeField.GroupType!;
        Assert.Same(shape, shapeField.Type.StructType);
        Assert.Equal(shapeField.GroupTypeId, shape.Id);
        Assert.True(shape.IsGroup);
        Assert.Equal("interop.capnp:AllTypes.shape", shape.DisplayName);
        Assert.Equal(AllTypes.Id, shape.ScopeId);
        Assert.Equal(18, shape.DataWordCount);  // groups report the parent's section sizes
        Assert.Equal(26, shape.PointerCount);
        Assert.Equal(4, shape.DiscriminantCount);
        Assert.Equal(56u, shape.DiscriminantOffset); // tag bits [896, 912)
        Assert.Equal(new[] { "circle", "square", "nothing", "label" }, shape.Fields.Select(f => f.Name));
        Assert.Equal(new ushort[] { 0, 1, 2, 3 }, shape.Fields.Select(f => f.DiscriminantValue));
        Assert.Equal(13u, shape.GetField("circle").Offset);
        Assert.Equal(26u, shape.GetField("square").Offset);
        Assert.Equal(21u, shape.GetField("label").Offset);
    }

    [Fact]
    public void GroupsAndNestedGroupWithUnion()
    {
        var location = AllTypes.GetField("location").GroupType!;
        Assert.False(location.HasUnion);
        Assert.Equal(new[] { "lat", "lon", "name" }, location.Fields.Select(f => f.Name));
        Assert.Equal(15u, location.GetField("lat").Offset);
        Assert.Equal(16u, location.GetField("lon").Offset);
        Assert.Equal(22u, location.GetField("name").Offset);

        var settings = AllTypes.GetField("settings").GroupType!;
        Assert.Equal(2u, settings.GetField("verbose").Offset);
        var mode = settings.GetField("mode").GroupType!;
        Assert.Equal("interop.capnp:AllTypes.settings.mode", mode.DisplayName);
        Assert.Equal("AllTypes.settings.mode", mode.NestedName);
        Assert.Equal("mode", mode.ShortName);
        Assert.Equal(settings.Id, mode.ScopeId);
        Assert.Equal(3, mode.DiscriminantCount);
        Assert.Equal(57u, mode.DiscriminantOffset); // tag bits [912, 928)
        Assert.Equal(29u, mode.GetField("manual").Offset);
        Assert.Equal(23u, mode.GetField("scheduled").Offset);
        Assert.Same(mode, Set.GetStruct("AllTypes.settings.mode"));
    }

    [Fact]
    public void Enums()
    {
        var color = Set.GetEnum("Color");
        Assert.Equal(0x9fad3b5e2faceb19UL, color.Id);
        Assert.Equal(new[] { "red", "green", "blue", "alpha" }, color.Enumerants.Select(e => e.Name));
        Assert.Equal(new ushort[] { 0, 1, 2, 3 }, color.Enumerants.Select(e => e.Ordinal));
        Assert.Equal((ushort)2, color.GetEnumerant("BLUE").Ordinal);
        Assert.False(color.TryGetEnumerant("purple", out _));
        Assert.Throws<CapnpSchemaException>(() => color.GetEnumerant("purple"));
        Assert.Equal("alpha", color.GetName(3));
        Assert.Null(color.GetName(4));
    }

    [Fact]
    public void NestedNodes()
    {
        Assert.Equal(new[] { "Inner", "answer" }, AllTypes.NestedNodes.Select(n => n.Name));
        var inner = Assert.IsType<StructSchema>(AllTypes.GetNestedNode("Inner"));
        Assert.Equal("interop.capnp:AllTypes.Inner", inner.DisplayName);
        Assert.Equal((1, 3), (inner.DataWordCount, inner.PointerCount));
        var deep = Assert.IsType<StructSchema>(inner.GetNestedNode("deep")); // case-insensitive fallback
        Assert.Equal("AllTypes.Inner.Deep", deep.NestedName);
        Assert.Same(deep, inner.GetField("deep").Type.StructType);
        Assert.Same(inner, deep.Parent);
        Assert.Null(AllTypes.GetNestedNode("Nope"));

        var file = Set.RequestedFiles[0].File!;
        Assert.Equal(new[] { "Color", "AllTypes", "Record", "Batch", "defaultLabel", "note", "RecordV0", "BatchV0", "Wrapped", "ListsV0", "ListsV1" }.Order(),
            file.NestedNodes.Select(n => n.Name).Order());
    }

    [Fact]
    public void ImportedNodes()
    {
        var point = Set.GetStruct("common.capnp:Point");
        Assert.Equal("common.capnp", point.FileName);
        Assert.Same(point, Set.GetStruct("Point"));
        Assert.Same(point, AllTypes.GetField("point").Type.StructType);
        Assert.Same(point, AllTypes.GetField("points").Type.ElementType!.StructType);
        Assert.Equal(new[] { "x", "y", "tag" }, point.Fields.Select(f => f.Name));
        Assert.Equal((1, 1), (point.DataWordCount, point.PointerCount));
        var shade = Set.GetEnum("common.capnp:Shade");
        Assert.Same(shade, AllTypes.GetField("shade").Type.EnumType);
        Assert.Equal("dark", shade.GetName(2));
        Assert.IsType<FileSchema>(Set.Find("common.capnp"));
        Assert.Equal(0xf9fd5d27cd31cfc1UL, Set.Find("common.capnp").Id);
    }

    [Fact]
    public void ConstantsAndAnnotations()
    {
        var answer = Set.GetConst("AllTypes.answer");
        Assert.Equal(TypeKind.Int32, answer.Type.Kind);
        Assert.Equal(42, answer.Value.Value);
        Assert.Equal("batch", Set.GetConst("defaultLabel").Value.Value);

        var note = Assert.IsType<AnnotationDeclarationSchema>(Set.Find("note"));
        Assert.Equal(AnnotationTargets.Struct | AnnotationTargets.Field, note.Targets);
        Assert.Equal(TypeKind.Text, note.Type.Kind);

        var record = Set.GetStruct("Record");
        var a = Assert.Single(record.Annotations);
        Assert.Same(note, a.Declaration);
        Assert.Equal("note", a.Name);
        Assert.Equal("one streamed record", a.Value.Value);
        var fa = Assert.Single(record.GetField("name").Annotations);
        Assert.Equal("record name", fa.Value.Value);
        Assert.Equal("note", fa.Name);
    }

    [Fact]
    public void RecordAndBatch()
    {
        var record = Set.GetStruct("Record");
        Assert.Equal((3, 1), (record.DataWordCount, record.PointerCount));
        Assert.Equal(128u, record.GetField("flag").Offset);
        var batch = Set.GetStruct("interop.capnp:Batch");
        Assert.Equal((1, 2), (batch.DataWordCount, batch.PointerCount));
        Assert.Same(record, batch.GetField("records").Type.ElementType!.StructType);
        Assert.Equal(1u, batch.GetField("label").Offset);
    }

    [Fact]
    public void NameLookup()
    {
        Assert.Same(AllTypes, Set.Find("interop.capnp:AllTypes"));
        Assert.Same(AllTypes, Set.Find("AllTypes"));
        Assert.Same(AllTypes, Set.Find("alltypes"));
        Assert.Same(AllTypes, Set.GetById(AllTypes.Id));
        var inner = Set.Find("AllTypes.Inner");
        Assert.Same(inner, Set.Find("Inner"));
        Assert.Same(inner, Set.Find("interop.capnp:AllTypes.Inner"));
        Assert.Equal("interop.capnp:AllTypes.Inner.Deep", Set.Find("AllTypes.Inner.Deep").DisplayName);
        Assert.Equal("interop.capnp:Batch.Deep", Set.Find("Batch.Deep").DisplayName);

        // Groups are found by dotted name only, not by short name.
        Assert.True(Set.TryFind("AllTypes.location", out var loc));
        Assert.True(((StructSchema)loc).IsGroup);
        Assert.False(Set.TryFind("location", out _));

        Assert.False(Set.TryFind("NoSuchType", out _));
        Assert.Throws<CapnpSchemaException>(() => Set.Find("NoSuchType"));
        Assert.Throws<CapnpSchemaException>(() => Set.GetStruct("Color"));
        Assert.Throws<CapnpSchemaException>(() => Set.GetById(12345));
        Assert.Null(Set.TryGetById(12345));
    }

    [Fact]
    public void AmbiguousShortNameThrowsTypedException()
    {
        var e = Assert.Throws<AmbiguousSchemaNameException>(() => Set.Find("Deep"));
        Assert.Equal("Deep", e.Name);
        Assert.Equal(new[] { "interop.capnp:AllTypes.Inner.Deep", "interop.capnp:Batch.Deep" }, e.Candidates.Order());
        Assert.IsAssignableFrom<CapnpSchemaException>(e);
        Assert.Throws<AmbiguousSchemaNameException>(() => Set.TryFind("deep", out _));
    }

    [Fact]
    public void StructAndEnumCollections()
    {
        Assert.Equal(new[] { "AllTypes", "AllTypes.Inner", "AllTypes.Inner.Deep", "Batch", "Batch.Deep", "BatchV0", "ListsV0", "ListsV1", "Point", "Record", "RecordV0", "Wrapped" },
            Set.Structs.Select(s => s.NestedName).Order());
        Assert.Equal(new[] { "Color", "Shade" }, Set.Enums.Select(e => e.ShortName).Order());
        Assert.All(Set.Nodes, n => Assert.Same(Set, n.Set));
    }

    [Fact]
    public void LoadsCapnpsOwnSchemaWithGenericsAndImports()
    {
        var (root, rel) = CapnpTool.FindStandardSchema("capnp/schema.capnp");
        byte[] request = CapnpTool.Run(["compile", "-o-", rel], workingDirectory: root);
        var set = SchemaSet.Load(request);
        var node = set.GetStruct("capnp/schema.capnp:Node");
        Assert.Equal(0xe682ab4cf923a417UL, node.Id);
        Assert.Equal((5, 6), (node.DataWordCount, node.PointerCount));
        Assert.Equal(6, node.DiscriminantCount);
        Assert.Equal(6u, node.DiscriminantOffset);
        var structGroup = node.GetField("struct").GroupType!;
        Assert.Equal((ushort)1, node.GetField("struct").DiscriminantValue);
        Assert.Equal(224u, structGroup.GetField("isGroup").Offset);
        var field = set.GetStruct("Field");
        Assert.Equal((ushort)0xFFFF, field.GetField("discriminantValue").DefaultValue!.Value);
        Assert.Equal((ushort)0xFFFF, set.GetConst("Field.noDiscriminant").Value.Value);
        Assert.Equal(TypeKind.AnyPointer, set.GetStruct("Value").GetField("struct").Type.Kind);
        Assert.Contains(set.Nodes, n => n.FileName == "capnp/c++.capnp"); // imported file's nodes
    }
}
