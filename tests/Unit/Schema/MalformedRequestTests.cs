using CapMap.Schema;
using CapMap.Tests.Interop;
using CapMap.Wire;
using CsCheck;
using Xunit;

namespace CapMap.Tests.Schema;

/// <summary>Damaged or inconsistent CodeGeneratorRequests must fail with a typed exception only.</summary>
public class MalformedRequestTests
{
    private static void AssertTypedFailureOrSuccess(byte[] bytes)
    {
        try
        {
            SchemaSet.Load(bytes);
        }
        catch (CapnpSchemaException) { }
        catch (CapnpFormatException) { }
        catch (Exception e)
        {
            Assert.Fail($"SchemaSet.Load threw {e.GetType().Name} for input {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 64)))}...: {e}");
        }
    }

    private static void AssertTypedFailure(byte[] bytes)
    {
        var e = Record.Exception(() => SchemaSet.Load(bytes));
        Assert.NotNull(e);
        Assert.True(e is CapnpSchemaException or CapnpFormatException, $"unexpected {e!.GetType().Name}: {e}");
    }

    [Fact]
    public void EmptyAndTinyInputs()
    {
        AssertTypedFailure([]);
        AssertTypedFailure([0]);
        AssertTypedFailure([0, 0, 0, 0]);
        AssertTypedFailure(new byte[8]);           // one empty segment: no root
        AssertTypedFailure(new byte[16]);          // one 0-word segment + garbage, or a null root
        AssertTypedFailure([0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // null root: no nodes
        Assert.Throws<ArgumentNullException>(() => SchemaSet.Load(null!));
    }

    [Fact]
    public void EveryTruncationFailsWithTypedException()
    {
        byte[] full = InteropSchema.RequestBytes;
        for (int len = 0; len < full.Length; len += len < 256 ? 1 : 7)
            AssertTypedFailure(full.AsSpan(0, len).ToArray());
    }

    [Fact]
    public void TruncatedFileFailsWithTypedException()
    {
        string path = Path.Combine(Path.GetTempPath(), $"capmap-schema-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(path, InteropSchema.RequestBytes.AsSpan(0, InteropSchema.RequestBytes.Length / 2).ToArray());
            var e = Record.Exception(() => SchemaSet.LoadFile(path));
            Assert.True(e is CapnpSchemaException or CapnpFormatException, $"unexpected {e?.GetType().Name}: {e}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RandomBytesFailWithTypedException()
    {
        Gen.Byte.Array[0, 512].Sample(AssertTypedFailureOrSuccess, iter: 2000);
    }

    [Fact]
    public void RandomBodyWithValidHeaderFailsWithTypedException()
    {
        Gen.Byte.Array[8, 512].Sample(body =>
        {
            int words = body.Length / 8;
            var bytes = new byte[8 + words * 8];
            BitConverter.TryWriteBytes(bytes.AsSpan(4), words);
            body.AsSpan(0, words * 8).CopyTo(bytes.AsSpan(8));
            AssertTypedFailureOrSuccess(bytes);
        }, iter: 2000);
    }

    [Fact]
    public void CorruptedRequestFailsWithTypedExceptionOrLoads()
    {
        byte[] full = InteropSchema.RequestBytes;
        Gen.Select(Gen.Int[8, full.Length - 1].Array[1, 8], Gen.Byte.Array[8]).Sample((positions, values) =>
        {
            var bytes = (byte[])full.Clone();
            for (int i = 0; i < positions.Length; i++) bytes[positions[i]] = values[i];
            AssertTypedFailureOrSuccess(bytes);
        }, iter: 1500);
    }

    // Semantically broken requests, written as schema.capnp text and encoded by the capnp tool.
    private static byte[] Request(string text)
    {
        var (root, rel) = CapnpTool.FindStandardSchema("capnp/schema.capnp");
        return CapnpTool.Convert("text", "binary", System.Text.Encoding.UTF8.GetBytes(text), Path.Combine(root, rel), "CodeGeneratorRequest");
    }

    private const string File0 = "(id = 1, displayName = \"x.capnp\", file = void)";

    private static string Struct(string fields, int data = 1, int ptrs = 1, string extra = "") =>
        $"(id = 2, displayName = \"x.capnp:S\", displayNamePrefixLength = 8, scopeId = 1, " +
        $"struct = (dataWordCount = {data}, pointerCount = {ptrs}, fields = [{fields}]{extra}))";

    [Fact]
    public void WellFormedHandWrittenRequestLoads()
    {
        var set = SchemaSet.Load(Request(
            $"(nodes = [{File0}, {Struct("(name = \"a\", slot = (offset = 1, type = (int32 = void), defaultValue = (int32 = 5), hadExplicitDefault = true))")}], " +
            "requestedFiles = [(id = 1, filename = \"x.capnp\")])"));
        var s = set.GetStruct("S");
        Assert.Equal(5, s.GetField("a").DefaultValue!.Value);
        Assert.Equal(1u, s.GetField("a").Offset);
        Assert.Null(set.CapnpVersion);
    }

    [Theory]
    [InlineData("no nodes", "(nodes = [])")]
    [InlineData("duplicate id", "(nodes = [(id = 1, displayName = \"x.capnp\", file = void), (id = 1, displayName = \"y.capnp\", file = void)])")]
    [InlineData("missing display name", "(nodes = [(id = 1, file = void)])")]
    [InlineData("prefix too long", "(nodes = [(id = 1, displayName = \"x\", displayNamePrefixLength = 5, file = void)])")]
    [InlineData("unknown struct type", "S:(name = \"a\", slot = (offset = 0, type = (struct = (typeId = 99))))")]
    [InlineData("enum id names a struct", "S:(name = \"a\", slot = (offset = 0, type = (enum = (typeId = 2))))")]
    [InlineData("data offset outside", "S:(name = \"a\", slot = (offset = 2, type = (int32 = void)))")]
    [InlineData("bool offset outside", "S:(name = \"a\", slot = (offset = 64, type = (bool = void)))")]
    [InlineData("pointer offset outside", "S:(name = \"a\", slot = (offset = 1, type = (text = void)))")]
    [InlineData("default of wrong kind", "S:(name = \"a\", slot = (offset = 0, type = (int32 = void), defaultValue = (text = \"x\")))")]
    [InlineData("group is not a group", "S:(name = \"g\", group = (typeId = 2))")]
    [InlineData("group missing", "S:(name = \"g\", group = (typeId = 77))")]
    [InlineData("field without name", "S:(slot = (offset = 0, type = (int32 = void)))")]
    [InlineData("duplicate field names", "S:(name = \"a\", slot = (offset = 0, type = (int32 = void))), (name = \"a\", slot = (offset = 1, type = (int32 = void)))")]
    [InlineData("union count mismatch", "U:(name = \"a\", discriminantValue = 0, slot = (offset = 1, type = (int32 = void)))")]
    [InlineData("duplicate discriminant", "V:(name = \"a\", discriminantValue = 0, slot = (offset = 1, type = (int32 = void))), (name = \"b\", discriminantValue = 0, slot = (offset = 0, type = (text = void)))")]
    [InlineData("discriminant outside", "W:(name = \"a\", discriminantValue = 0, slot = (offset = 1, type = (int32 = void))), (name = \"b\", discriminantValue = 1, slot = (offset = 0, type = (text = void)))")]
    public void InconsistentRequestsThrowCapnpSchemaException(string why, string spec)
    {
        string text = spec[0] switch
        {
            '(' => spec,
            'S' => $"(nodes = [{File0}, {Struct(spec[2..])}])",
            'U' => $"(nodes = [{File0}, {Struct(spec[2..], extra: ", discriminantCount = 2")}])",
            'V' => $"(nodes = [{File0}, {Struct(spec[2..], extra: ", discriminantCount = 2")}])",
            _ => $"(nodes = [{File0}, {Struct(spec[2..], extra: ", discriminantCount = 2, discriminantOffset = 4")}])",
        };
        var e = Assert.Throws<CapnpSchemaException>(() => SchemaSet.Load(Request(text)));
        Assert.False(string.IsNullOrEmpty(e.Message), why);
    }
}
