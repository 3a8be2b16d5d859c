using CapMap.Clr;
using Xunit;

namespace CapMap.Tests.Clr;

/// <summary>
/// Interpret first, compile once hot (<see cref="CompileWhenHot{TArg, TResult}"/>): below the threshold no code is
/// generated, at it the compiled form takes over once, and a property read gives the same values on both sides.
/// </summary>
public class CompileWhenHotTests
{
    [Fact]
    public void Runs_interpreted_until_the_threshold_then_compiles_exactly_once()
    {
        int interpreted = 0, compiles = 0, compiledCalls = 0;
        var call = CompileWhenHot<int, int>.Create(x => { interpreted++; return x * 2; }, () =>
        {
            compiles++;
            return x => { compiledCalls++; return x * 2; };
        });
        int threshold = CompileWhenHot<int, int>.Threshold;

        for (int i = 1; i < threshold; i++) Assert.Equal(i * 2, call(i));
        Assert.Equal(threshold - 1, interpreted);
        Assert.Equal(0, compiles);
        Assert.False(CompileWhenHot<int, int>.IsCompiled(call));

        for (int i = threshold; i < threshold + 100; i++) Assert.Equal(i * 2, call(i));
        Assert.Equal(1, compiles);
        Assert.Equal(100, compiledCalls);
        Assert.Equal(threshold - 1, interpreted);
        Assert.True(CompileWhenHot<int, int>.IsCompiled(call));
    }

    [Fact]
    public void Calls_racing_over_the_threshold_all_get_the_right_result_and_end_on_one_compiled_form()
    {
        var call = CompileWhenHot<int, int>.Create(x => x + 1, () => x => x + 1);
        int calls = CompileWhenHot<int, int>.Threshold * 4;
        var wrong = 0;
        Parallel.For(0, calls, i => { if (call(i) != i + 1) Interlocked.Increment(ref wrong); });
        Assert.Equal(0, wrong);
        Assert.True(CompileWhenHot<int, int>.IsCompiled(call));
    }

    [Fact]
    public void A_factory_that_cannot_compile_may_hand_back_the_interpreted_form()
    {
        Func<int, int> interpreted = x => -x;
        var call = CompileWhenHot<int, int>.Create(interpreted, () => interpreted);
        for (int i = 0; i < CompileWhenHot<int, int>.Threshold + 10; i++) Assert.Equal(-i, call(i));
        Assert.True(CompileWhenHot<int, int>.IsCompiled(call));
    }

    public sealed class Gadget
    {
        public int Id { get; init; }
        public string? Name { get; init; }
        public DateTime When { get; init; }
        public int Broken => throw new InvalidOperationException("not available");
    }

    [Fact]
    public void A_property_getter_reads_the_same_values_interpreted_and_compiled_and_a_throwing_getter_reads_null_on_both_sides()
    {
        var id = PropertyGetters.Find(typeof(Gadget), "Id")!;
        var name = PropertyGetters.Find(typeof(Gadget), "name")!; // names match case-insensitively
        var when = PropertyGetters.Find(typeof(Gadget), "When")!;
        var broken = PropertyGetters.Find(typeof(Gadget), "Broken")!;
        int threshold = CompileWhenHot<object, object?>.Threshold;
        Assert.False(CompileWhenHot<object, object?>.IsCompiled(id));

        for (int i = 0; i < threshold + 10; i++)
        {
            var gadget = new Gadget { Id = i, Name = i % 3 == 0 ? null : "g" + i, When = DateTime.UnixEpoch.AddDays(i) };
            Assert.Equal(i, id(gadget));
            Assert.Equal(gadget.Name, name(gadget));
            Assert.Equal(gadget.When, when(gadget));
            Assert.Null(broken(gadget));
            if (i == threshold - 2) Assert.False(CompileWhenHot<object, object?>.IsCompiled(broken), "interpreted below the threshold");
        }
        Assert.True(CompileWhenHot<object, object?>.IsCompiled(id));
        Assert.True(CompileWhenHot<object, object?>.IsCompiled(broken));
    }

    public sealed class Widget
    {
        public int Id { get; init; }
    }

    [Fact]
    public void An_object_of_another_type_reads_null_on_both_sides()
    {
        var id = PropertyGetters.Find(typeof(Widget), "Id")!; // its own type: getters are shared per type
        for (int i = 0; i < CompileWhenHot<object, object?>.Threshold + 10; i++) Assert.Null(id("not a gadget"));
        Assert.True(CompileWhenHot<object, object?>.IsCompiled(id));
    }
}
