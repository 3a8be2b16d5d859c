using CapMap.Schema;
using CapMap.Tests.Schema;

namespace CapMap.Tests.Interop;

/// <summary>
/// Test vectors for interop.capnp: expected values (in <see cref="DynamicValueReader"/>'s representation, as
/// name → value dictionaries) and their JSON, encoded to binary by <c>capnp convert json:binary</c> at test time.
/// </summary>
internal static class InteropVectors
{
    private static Dictionary<string, object?> Inner(uint id, string? name, string[]? tags, string color, (byte Level, bool Flag)? deep) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["tags"] = tags,
        ["color"] = color,
        ["deep"] = deep is { } d ? new Dictionary<string, object?> { ["level"] = d.Level, ["flag"] = d.Flag } : null,
    };

    private static Dictionary<string, object?> Point(int x, int y, string? tag) => new() { ["x"] = x, ["y"] = y, ["tag"] = tag };

    /// <summary>Every field set to a non-default value; unions on choiceStruct / label / scheduled.</summary>
    public static Dictionary<string, object?> Full() => new()
    {
        ["voidField"] = null,
        ["boolField"] = true,
        ["int8Field"] = (sbyte)-100,
        ["int16Field"] = (short)-30000,
        ["int32Field"] = -2000000000,
        ["int64Field"] = -8000000000000000000L,
        ["uInt8Field"] = (byte)250,
        ["uInt16Field"] = (ushort)65000,
        ["uInt32Field"] = 4000000001u,
        ["uInt64Field"] = 18446744073709551615UL,
        ["float32Field"] = 3.25f,
        ["float64Field"] = -1.0e-300,
        ["textField"] = "héllo wörld € 😀 \"quoted\" \\ tab\t nl\n",
        ["dataField"] = new byte[] { 0, 1, 2, 0x7f, 0x80, 0xfe, 0xff },
        ["enumField"] = "alpha",
        ["structField"] = Inner(42, "inner", ["x", "", "z"], "red", (9, false)),
        ["voidList"] = new object?[] { null, null, null },
        ["boolList"] = new[] { true, false, true, true, false, false, false, false, true, true },
        ["int8List"] = new sbyte[] { -128, -1, 0, 1, 127 },
        ["uInt16List"] = new ushort[] { 0, 1, 65535, 12345 },
        ["int32List"] = new[] { int.MinValue, -1, 0, 1, int.MaxValue },
        ["float32List"] = new[] { 0f, -0f, 1.5f, float.MaxValue, float.Epsilon, float.NaN, float.PositiveInfinity },
        ["int64List"] = new[] { long.MinValue, -1L, 0L, long.MaxValue },
        ["float64List"] = new[] { 0.0, -2.5, double.MaxValue, double.Epsilon, double.NegativeInfinity, Math.PI },
        ["textList"] = new[] { "one", "", "tröis", "四" },
        ["dataList"] = new[] { new byte[] { 1 }, Array.Empty<byte>(), new byte[] { 0xde, 0xad, 0xbe, 0xef } },
        ["structList"] = new[] { Inner(1, "a", null, "blue", null), Inner(2, null, ["t"], "green", (1, true)), Inner(3, "c", [], "alpha", (255, false)) },
        ["int32ListList"] = new[] { new[] { 1, 2, 3 }, Array.Empty<int>(), new[] { -7 } },
        ["enumList"] = new[] { "red", "green", "blue", "alpha", "red" },
        ["defaultBool"] = false,
        ["defaultInt8"] = (sbyte)0,
        ["defaultInt16"] = (short)1234,
        ["defaultInt32"] = 0,
        ["defaultInt64"] = 9000000000L,
        ["defaultUInt8"] = (byte)0,
        ["defaultUInt16"] = (ushort)1,
        ["defaultUInt32"] = 0u,
        ["defaultUInt64"] = 1UL,
        ["defaultFloat32"] = 0f,
        ["defaultFloat64"] = 2.25e10,
        ["defaultEnum"] = "red",
        ["defaultText"] = "not the default",
        ["defaultData"] = new byte[] { 9, 8, 7 },
        ["defaultStruct"] = Inner(8, "eight", ["c"], "blue", null),
        ["defaultInt32List"] = new[] { 4, 5 },
        ["choiceStruct"] = Inner(77, "chosen", null, "alpha", (2, true)),
        ["shape"] = new Dictionary<string, object?> { ["label"] = "a shape" },
        ["location"] = new Dictionary<string, object?> { ["lat"] = 52.52, ["lon"] = -13.405, ["name"] = "Berlin" },
        ["settings"] = new Dictionary<string, object?>
        {
            ["verbose"] = true,
            ["mode"] = new Dictionary<string, object?> { ["scheduled"] = "03:00" },
        },
        ["point"] = Point(-5, 6, "p"),
        ["shade"] = "light",
        ["points"] = new[] { Point(1, 2, null), Point(3, 4, "q") },
    };

    /// <summary>Other union members (choiceFloat / circle / manual) and extreme values.</summary>
    public static Dictionary<string, object?> Alternate() => new()
    {
        ["int8Field"] = sbyte.MinValue,
        ["int16Field"] = short.MinValue,
        ["int32Field"] = int.MinValue,
        ["int64Field"] = long.MinValue,
        ["uInt32Field"] = uint.MaxValue,
        ["float32Field"] = float.NegativeInfinity,
        ["float64Field"] = double.NaN,
        ["textField"] = "",
        ["dataField"] = Array.Empty<byte>(),
        ["defaultInt8"] = sbyte.MaxValue,
        ["defaultUInt64"] = 0UL,
        ["defaultEnum"] = "alpha",
        ["choiceFloat"] = -0.0,
        ["shape"] = new Dictionary<string, object?> { ["circle"] = 1e300 },
        ["settings"] = new Dictionary<string, object?>
        {
            ["verbose"] = false,
            ["mode"] = new Dictionary<string, object?> { ["manual"] = 4294967295u },
        },
        ["voidList"] = Array.Empty<object?>(),
        ["structList"] = Array.Empty<object>(),
        ["int32ListList"] = new[] { Array.Empty<int>() },
    };

    /// <summary>Remaining union members: choiceInt / square / auto.</summary>
    public static Dictionary<string, object?> ChoiceInt() => new()
    {
        ["choiceInt"] = -12345,
        ["shape"] = new Dictionary<string, object?> { ["square"] = 0.5f },
        ["settings"] = new Dictionary<string, object?> { ["mode"] = new Dictionary<string, object?> { ["auto"] = null } },
    };

    /// <summary>choiceText / nothing; no other field set.</summary>
    public static Dictionary<string, object?> ChoiceText() => new()
    {
        ["choiceText"] = "chosen text",
        ["shape"] = new Dictionary<string, object?> { ["nothing"] = null },
    };

    /// <summary>The empty message: every field reads as its default; the union is on unsetChoice.</summary>
    public static Dictionary<string, object?> Empty() => new();

    public static IEnumerable<(string Name, Dictionary<string, object?> Value)> All() =>
    [
        ("full", Full()), ("alternate", Alternate()), ("choiceInt", ChoiceInt()), ("choiceText", ChoiceText()), ("empty", Empty()),
    ];

    public static string Json(Dictionary<string, object?> value) => JsonValues.ToCapnpJson(value, InteropSchema.AllTypes);

    /// <summary>A Batch with <paramref name="count"/> records.</summary>
    public static Dictionary<string, object?> Batch(int count) => new()
    {
        ["label"] = $"batch of {count}",
        ["count"] = (ulong)count,
        ["records"] = Enumerable.Range(0, count).Select(i => new Dictionary<string, object?>
        {
            ["id"] = (ulong)i * 1000003UL,
            ["value"] = i * 0.5,
            ["name"] = i % 3 == 0 ? null : $"record {i}",
            ["flag"] = i % 2 == 0,
        }).ToArray(),
    };
}
