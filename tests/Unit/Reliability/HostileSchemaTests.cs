using CapMap.Messages;
using CapMap.Schema;
using CapMap.Schema.Inference;
using Xunit;

namespace CapMap.Tests.Reliability;

/// <summary>
/// Schemas a message file carries are data nobody vouches for (issue 20, items 3 and 4): they are parsed in linear
/// time within a budget, and the .NET type names in them never load code.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class HostileSchemaTests
{
    /// <summary><c>List(List(…(String)…))</c> nested <paramref name="levels"/> deep, built without parsing.</summary>
    internal static ClrTypeInfo NestedLists(int levels)
    {
        var info = ClrTypeInfo.Scalar("String");
        for (int i = 0; i < levels; i++) info = new ClrTypeInfo(ClrKind.List, element: info);
        return info;
    }

    /// <summary>The schema bytes of an inferred schema whose one record field carries <paramref name="clr"/>.</summary>
    internal static EmbeddedSchema CarryingClrType(ClrTypeInfo clr)
    {
        var schema = new InferredSchema(new InferredStruct("Row", [new InferredField("value", InferredType.Of(TypeKind.Text), clr)]));
        return new EmbeddedSchema(schema.ToBytes(), schema.Root.Id);
    }

    [Fact]
    public void A_type_description_nested_to_the_bound_parses_and_one_level_more_is_refused_as_over_budget()
    {
        string deepest = NestedLists(ClrTypeInfo.MaxNesting).ToString();
        Assert.Equal(deepest, ClrTypeInfo.Parse(deepest).ToString());

        string tooDeep = NestedLists(ClrTypeInfo.MaxNesting + 1).ToString();
        var e = Assert.Throws<SchemaBudgetException>(() => ClrTypeInfo.Parse(tooDeep));
        Assert.Contains($"deeper than {ClrTypeInfo.MaxNesting}", e.Message);
    }

    [Theory]
    [InlineData("List(String")]
    [InlineData("List(String))")]
    [InlineData("List(String)(Int32)")]
    [InlineData("List)String(")]
    [InlineData("Nothing")]
    [InlineData("List")]
    public void Malformed_type_descriptions_are_schema_errors(string text) =>
        Assert.ThrowsAny<CapnpSchemaException>(() => ClrTypeInfo.Parse(text));

    [Theory]
    [InlineData("schema__shared-pointers-27116d3f.bin")]
    [InlineData("schema__shared-pointers-85ee983d.bin")]
    [InlineData("schema__shared-pointers-8afc0ff0.bin")]
    public void A_request_whose_pointers_share_is_refused_within_a_walk_proportional_to_its_size(string name)
    {
        // Found by the 600 s fuzzing round: 2 KB to 19 KB requests whose pointers share objects kept the loader
        // walking up to the default 8 Mi words (about 2 s each). The compiler never shares, so the walk of a request
        // is bounded by its own size.
        byte[] request = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Reliability", "Regressions", name));
        var e = Assert.ThrowsAny<CapnpSchemaException>(() => SchemaSet.Load(request));
        Assert.IsType<CapMap.Wire.CapnpTraversalLimitException>(e.InnerException);
    }

    [Fact]
    public void A_carried_schema_whose_type_description_nests_10000_levels_is_refused_as_over_budget()
    {
        // Issue 20 item 3: a 72 KB annotation that made Import spin for 3.6 s (quadratic parse, unbounded recursion).
        var embedded = CarryingClrType(NestedLists(10_000));
        var e = Assert.Throws<SchemaBudgetException>(() => CarriedSchema.Load(embedded));
        Assert.Contains("deeper than", e.Message);
    }

    [Fact]
    public void A_type_description_of_a_megabyte_without_parentheses_is_read_in_one_pass()
    {
        string text = "Object:" + new string('x', 1 << 20);
        Assert.Equal(text, ClrTypeInfo.Parse(text).ToString());
    }

    [Fact]
    public void A_carried_schema_past_its_node_or_annotation_budget_is_refused()
    {
        var embedded = CarryingClrType(new ClrTypeInfo(ClrKind.Object, new string('n', 1000)));
        var set = SchemaSet.Load(embedded.CodeGeneratorRequest, SchemaBudget.Carried);
        int nodes = set.Nodes.Count;

        var tooMany = Assert.Throws<SchemaBudgetException>(() => SchemaSet.Load(embedded.CodeGeneratorRequest, new SchemaBudget(nodes - 1, long.MaxValue)));
        Assert.Contains($"{nodes:N0} nodes", tooMany.Message);
        _ = SchemaSet.Load(embedded.CodeGeneratorRequest, new SchemaBudget(nodes, long.MaxValue));

        var tooLarge = Assert.Throws<SchemaBudgetException>(() => SchemaSet.Load(embedded.CodeGeneratorRequest, new SchemaBudget(int.MaxValue, 999)));
        Assert.Contains("999 bytes", tooLarge.Message);
    }

    [Fact]
    public void A_carried_schema_with_more_annotation_bytes_than_the_carried_budget_is_refused()
    {
        var huge = new ClrTypeInfo(ClrKind.Object, new string('n', (int)SchemaBudget.Carried.MaxAnnotationBytes + 1));
        Assert.Throws<SchemaBudgetException>(() => CarriedSchema.Load(CarryingClrType(huge)));
    }

    [Fact]
    public void An_inferred_schema_whose_structs_nest_deeper_than_the_bound_is_refused()
    {
        InferredStruct Chain(int depth)
        {
            var inner = new InferredStruct("S0", [new InferredField("leaf", InferredType.Of(TypeKind.Int32), ClrTypeInfo.Scalar("Int32"))]);
            for (int i = 1; i < depth; i++)
                inner = new InferredStruct($"S{i}", [new InferredField("next", InferredType.StructOf(inner), new ClrTypeInfo(ClrKind.Object))]);
            return inner;
        }
        // The root holds the record list: the records' chain of structs is one deeper than itself.
        var fits = new InferredSchema(Chain(SchemaBudget.MaxStructNesting - 1));
        Assert.NotNull(CarriedSchema.Load(new EmbeddedSchema(fits.ToBytes(), fits.Root.Id)).Inferred);

        var deep = new InferredSchema(Chain(SchemaBudget.MaxStructNesting));
        var e = Assert.Throws<SchemaBudgetException>(() => CarriedSchema.Load(new EmbeddedSchema(deep.ToBytes(), deep.Root.Id)));
        Assert.Contains($"deeper than {SchemaBudget.MaxStructNesting} structs", e.Message);
    }

    // ---- item 4: no code loading from data ----

    private static bool IsLoaded(string assemblyName) =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == assemblyName);

    [Fact]
    public void An_enum_of_an_assembly_nobody_loaded_reads_back_as_its_name_and_the_assembly_stays_unloaded()
    {
        // System.Net.Mail ships with the runtime (so Type.GetType would find and load it) and nothing here uses it.
        const string assembly = "System.Net.Mail";
        Assert.False(IsLoaded(assembly), $"{assembly} is already loaded in the test process; pick an assembly nothing loads.");
        var info = ClrTypeInfo.Scalar("Enum", $"System.Net.Mail.MailPriority, {assembly}");

        object? value = ClrTypeTable.Decode("High", info, "test");

        Assert.Equal("High", value);
        Assert.False(IsLoaded(assembly), $"Decoding a value named by a file loaded {assembly}.");
    }

    [Fact]
    public void An_enum_of_a_loaded_assembly_reads_back_as_the_enum()
    {
        var info = ClrTypeInfo.Scalar("Enum", $"{typeof(FileAttributes).FullName}, {typeof(FileAttributes).Assembly.GetName().Name}");
        Assert.Equal(FileAttributes.Hidden | FileAttributes.System, ClrTypeTable.Decode("Hidden, System", info, "test"));
        // Written on one runtime, read on another where the type lives in another assembly: found by its name.
        var moved = ClrTypeInfo.Scalar("Enum", $"{typeof(FileAttributes).FullName}, SomeOtherAssembly");
        Assert.Equal(FileAttributes.Hidden, ClrTypeTable.Decode("Hidden", moved, "test"));
    }

    [Fact]
    public void A_type_name_that_resolves_to_nothing_is_looked_up_once_not_once_per_value()
    {
        string name = $"Nowhere.Enum{Guid.NewGuid():N}, Nowhere";
        var info = ClrTypeInfo.Scalar("Enum", name);
        int loads = 0;
        AssemblyLoadEventHandler count = (_, _) => Interlocked.Increment(ref loads);
        AppDomain.CurrentDomain.AssemblyLoad += count;
        try
        {
            long before = LoadedEnumTypes.Lookups;
            for (int i = 0; i < 10_000; i++) Assert.Equal("A", ClrTypeTable.Decode("A", info, "test"));
            long lookups = LoadedEnumTypes.Lookups - before;
            // Other tests run in parallel: their lookups count too, and an assembly they load makes a miss be looked up again.
            Assert.True(lookups >= 1 && lookups <= 1 + Volatile.Read(ref loads) + ParallelLookupAllowance,
                $"{lookups} lookups for 10,000 values of one unresolvable name ({loads} assemblies loaded meanwhile).");
        }
        finally
        {
            AppDomain.CurrentDomain.AssemblyLoad -= count;
        }
    }

    // Lookups other tests' new names may add while this one runs (a name is looked up once; few tests decode enums).
    private const int ParallelLookupAllowance = 50;
}
