using System.Text.RegularExpressions;
using CapMap.Schema;
using CapMap.Tests.Interop;
using Xunit;

namespace CapMap.Tests.Schema;

/// <summary>
/// Checks every struct, group and field of the model against the layout that <c>capnp compile -ocapnp</c> prints
/// (<c># N bytes, M ptrs</c>, <c>bits[a, b)</c>, <c>ptr[i]</c>, <c>union tag = k</c>, <c>tag bits [a, b)</c>).
/// </summary>
public partial class LayoutCrossCheckTests
{
    [GeneratedRegex(@"^\s*struct (\w+) @0x([0-9a-f]+)(?: \$.*)? \{  # (\d+) bytes, (\d+) ptrs$")]
    private static partial Regex StructLine();

    [GeneratedRegex(@"^\s*(\w+) :group(?: \$.*)? \{(?:  # union tag = (\d+))?$")]
    private static partial Regex GroupLine();

    [GeneratedRegex(@"^\s*union \{  # tag bits \[(\d+), (\d+)\)$")]
    private static partial Regex UnionLine();

    [GeneratedRegex(@"^\s*(enum|interface) (\w+) @0x[0-9a-f]+.*\{$")]
    private static partial Regex OtherScopeLine();

    [GeneratedRegex(@"^\s*(\w+) @(\d+) :.*;  # (?:bits\[(\d+), (\d+)\)|ptr\[(\d+)\])(?:, union tag = (\d+))?$")]
    private static partial Regex FieldLine();

    private sealed record Scope(string Path, StructSchema? Struct);

    private static int CheckAgainstCapnpText(SchemaSet set, string fileDisplayName, string capnpText)
    {
        var stack = new Stack<Scope>();
        int checkedFields = 0;
        var seenStructs = new HashSet<ulong>();
        foreach (string raw in capnpText.Split('\n'))
        {
            string line = raw.TrimEnd();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string parentPath = stack.Count == 0 ? "" : stack.Peek().Path + ".";
            Match m;
            if ((m = StructLine().Match(line)).Success)
            {
                string path = parentPath + m.Groups[1].Value;
                var s = set.GetStruct($"{fileDisplayName}:{path}");
                Assert.Equal(Convert.ToUInt64(m.Groups[2].Value, 16), s.Id);
                Assert.False(s.IsGroup);
                Assert.Equal(int.Parse(m.Groups[3].Value) / 8, s.DataWordCount);
                Assert.Equal(int.Parse(m.Groups[4].Value), s.PointerCount);
                seenStructs.Add(s.Id);
                stack.Push(new Scope(path, s));
            }
            else if ((m = GroupLine().Match(line)).Success)
            {
                var owner = stack.Peek().Struct!;
                var field = owner.GetField(m.Groups[1].Value);
                Assert.True(field.IsGroup, $"{owner.DisplayName}.{field.Name} should be a group");
                Assert.Equal(m.Groups[2].Success ? ushort.Parse(m.Groups[2].Value) : FieldSchema.NoDiscriminant, field.DiscriminantValue);
                var group = field.GroupType!;
                Assert.Equal(owner.DataWordCount, group.DataWordCount);
                Assert.Equal(owner.PointerCount, group.PointerCount);
                checkedFields++;
                stack.Push(new Scope(stack.Peek().Path + "." + field.Name, group));
            }
            else if ((m = UnionLine().Match(line)).Success)
            {
                var owner = stack.Peek().Struct!;
                Assert.True(owner.HasUnion, $"{owner.DisplayName} should have a union");
                Assert.Equal(uint.Parse(m.Groups[1].Value) / 16, owner.DiscriminantOffset);
                Assert.Equal(16, int.Parse(m.Groups[2].Value) - int.Parse(m.Groups[1].Value));
                stack.Push(new Scope(stack.Peek().Path, owner) { });
            }
            else if ((m = OtherScopeLine().Match(line)).Success)
            {
                stack.Push(new Scope(parentPath + m.Groups[2].Value, null));
            }
            else if (line.Trim() == "}")
            {
                stack.Pop();
            }
            else if ((m = FieldLine().Match(line)).Success && stack.Count > 0 && stack.Peek().Struct is { } owner)
            {
                var field = owner.GetField(m.Groups[1].Value);
                string where = $"{owner.DisplayName}.{field.Name}";
                Assert.False(field.IsGroup, where);
                Assert.Equal(ushort.Parse(m.Groups[2].Value), field.Ordinal);
                if (m.Groups[5].Success)
                {
                    Assert.True(field.Type.IsPointer, where);
                    Assert.Equal(uint.Parse(m.Groups[5].Value), field.Offset);
                }
                else
                {
                    int a = int.Parse(m.Groups[3].Value), b = int.Parse(m.Groups[4].Value);
                    Assert.Equal(b - a, field.Type.DataBits);
                    if (b > a) Assert.Equal((uint)(a / (b - a)), field.Offset);
                }
                Assert.Equal(m.Groups[6].Success ? ushort.Parse(m.Groups[6].Value) : FieldSchema.NoDiscriminant, field.DiscriminantValue);
                checkedFields++;
            }
        }
        Assert.Empty(stack);
        // Every non-group struct of that file was printed and checked.
        Assert.Equal(set.Structs.Where(s => s.FileName == fileDisplayName).Select(s => s.Id).Order(), seenStructs.Order());
        return checkedFields;
    }

    [Fact]
    public void InteropSchemaLayoutMatchesCapnpCompiler()
    {
        string text = CapnpTool.CompileToCapnpText("interop.capnp");
        int n = CheckAgainstCapnpText(InteropSchema.Set, "interop.capnp", text);
        int expected = InteropSchema.Set.Nodes.OfType<StructSchema>().Where(s => s.FileName == "interop.capnp").Sum(s => s.Fields.Count);
        Assert.Equal(expected, n);
    }

    [Fact]
    public void CommonSchemaLayoutMatchesCapnpCompiler()
    {
        string text = CapnpTool.CompileToCapnpText("common.capnp");
        Assert.Equal(3, CheckAgainstCapnpText(InteropSchema.Set, "common.capnp", text));
    }

    [Fact]
    public void CapnpSchemaCapnpLayoutMatchesCapnpCompiler()
    {
        var (root, rel) = CapnpTool.FindStandardSchema("capnp/schema.capnp");
        var set = SchemaSet.Load(CapnpTool.Run(["compile", "-o-", rel], workingDirectory: root));
        string text = CapnpTool.CompileToCapnpText(rel, root);
        int n = CheckAgainstCapnpText(set, rel, text);
        Assert.True(n > 100, $"only {n} fields checked");
    }
}
