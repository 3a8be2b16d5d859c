using System.Text;
using System.Text.RegularExpressions;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Architecture;

/// <summary>
/// The layers of docs/design.md hold: each folder of CapMap.Core uses (in its compiled IL: signatures, bodies,
/// attributes, catch clauses) only the folders the design's layers block allows, the PowerShell module only the
/// Core folders allowed to it, the rules themselves have no cycle, and they name no dependency that no longer exists;
/// native calls are declared only in Native/.
/// </summary>
public sealed class LayerTests
{
    private static readonly string CoreAssembly = typeof(MessageReader).Assembly.Location;
    private static readonly string ModuleAssembly = Path.Combine(AppContext.BaseDirectory, "CapMap.PowerShell.dll");

    [Fact]
    public void CoreFoldersUseOnlyTheFoldersTheDesignAllows()
    {
        var rules = LayerRules.FromDesign();
        var uses = FolderUses(CoreAssembly, fromCore: true);
        var unknown = TypeReferences.Read(CoreAssembly).Keys
            .Select(t => LayerRules.FolderOf(t.Namespace))
            .OfType<string>()
            .Where(f => !rules.Allowed.ContainsKey(f))
            .Distinct()
            .ToList();
        Assert.True(unknown.Count == 0,
            $"CapMap.Core has folders docs/design.md's layers block does not name: {string.Join(", ", unknown)}. Add a line for each.");
        AssertAllowed(rules, uses, "CapMap.Core");
    }

    [Fact]
    public void TheModuleUsesOnlyTheCoreFoldersTheDesignAllows()
    {
        Assert.True(File.Exists(ModuleAssembly), $"{ModuleAssembly} is missing: the test project copies the module's assembly next to the tests.");
        var rules = LayerRules.FromDesign();
        AssertAllowed(rules, FolderUses(ModuleAssembly, fromCore: false), "src/CapMap.PowerShell");
    }

    [Fact]
    public void TheDesignsRulesHaveNoCycle()
    {
        var rules = LayerRules.FromDesign();
        var cycle = FindCycle(rules.Allowed);
        Assert.True(cycle is null, $"docs/design.md's layers block allows a cycle: {string.Join(" → ", cycle ?? [])}.");
    }

    [Fact]
    public void TheDesignsRulesNameOnlyFoldersAndDependenciesThatExist()
    {
        var rules = LayerRules.FromDesign();
        var used = FolderUses(CoreAssembly, fromCore: true).Keys
            .Concat(FolderUses(ModuleAssembly, fromCore: false).Keys)
            .ToHashSet();
        var stale = rules.Allowed
            .SelectMany(rule => rule.Value.Select(to => (From: rule.Key, To: to)))
            .Where(edge => !used.Contains(edge))
            .Select(edge => $"{edge.From} → {edge.To}")
            .ToList();
        Assert.True(stale.Count == 0,
            "docs/design.md's layers block allows dependencies no code has (the diagram should show the real layers; " +
            $"remove them): {string.Join("; ", stale)}.");
    }

    [Fact]
    public void OnlyNativeDeclaresNativeCalls()
    {
        // The design gives native calls one home, Native/ (NativeMethods), so the layers above reach the system
        // through it and its few helpers instead of P/Invoke surfaces of their own.
        var imports = NativeImports.Read(CoreAssembly);
        Assert.Contains(imports, i => i.Method == "capmap_register"); // the reader sees them at all
        var elsewhere = imports.Concat(NativeImports.Read(ModuleAssembly))
            .Where(i => LayerRules.FolderOf(i.Type.Namespace) != "Native")
            .Select(i => $"{i.Type}.{i.Method} ({i.Library})")
            .ToList();
        Assert.True(elsewhere.Count == 0, "Native calls declared outside Native/: " + string.Join("; ", elsewhere));
    }

    [Fact]
    public void CoreTypesLiveInTheNamespaceOfTheirFolder()
    {
        // The rules are about folders but the IL knows only namespaces: a file whose namespace is not its folder's
        // would put its type in another layer's rules.
        string root = Path.Combine(AppContext.BaseDirectory, "Architecture", "CoreSources");
        var wrong = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, file);
            string expected = "CapMap." + string.Join('.', Path.GetDirectoryName(relative)!.Split(Path.DirectorySeparatorChar));
            var declared = Regex.Matches(File.ReadAllText(file), @"^namespace\s+([\w.]+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
            if (declared.Count != 1 || declared[0] != expected)
                wrong.Add($"{relative}: {(declared.Count == 0 ? "no namespace" : string.Join(", ", declared))} (expected {expected})");
        }
        Assert.True(Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).Any(), $"No Core sources were copied to {root}.");
        Assert.True(wrong.Count == 0, "Core files whose namespace is not their folder's:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void AForbiddenDependencyIsReported()
    {
        // The check itself: with Wire's rule emptied, its real use of Native must be reported with an example type pair.
        var rules = LayerRules.Parse(["```layers", "Wire → nothing", "PowerShell → nothing", "```"]);
        var uses = FolderUses(CoreAssembly, fromCore: true).Where(u => u.Key.From == "Wire").ToDictionary();
        var e = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertAllowed(rules, uses, "CapMap.Core"));
        Assert.Contains("Wire → Native", e.Message);
        Assert.Contains("CapMap.Wire.", e.Message);
    }

    /// <summary>Folder → folder, with the type pairs that make each dependency (the referring folder is the module's name for the module).</summary>
    private static Dictionary<(string From, string To), List<string>> FolderUses(string assembly, bool fromCore)
    {
        var result = new Dictionary<(string, string), List<string>>();
        foreach (var (type, uses) in TypeReferences.Read(assembly))
        {
            string? from = fromCore ? LayerRules.FolderOf(type.Namespace) : LayerRules.Module;
            if (from is null)
            {
                // Compiler-generated types live in the global namespace; anything else of Core must be in a folder.
                Assert.False(fromCore && type.Namespace.StartsWith("CapMap", StringComparison.Ordinal),
                    $"{type} is in CapMap.Core but in no folder's namespace.");
                continue;
            }
            if (!fromCore && !type.Namespace.StartsWith("CapMap.PowerShell", StringComparison.Ordinal)) continue;
            foreach (var used in uses)
            {
                string? to = LayerRules.FolderOf(used.Namespace);
                if (to is null || to == from) continue;
                if (!result.TryGetValue((from, to), out var examples)) result[(from, to)] = examples = new List<string>();
                examples.Add($"{type} uses {used}");
            }
        }
        return result;
    }

    private static void AssertAllowed(LayerRules rules, IReadOnlyDictionary<(string From, string To), List<string>> uses, string what)
    {
        var report = new StringBuilder();
        foreach (var ((from, to), examples) in uses.OrderBy(u => u.Key.From).ThenBy(u => u.Key.To))
        {
            if (rules.Allowed.TryGetValue(from, out var allowed) && allowed.Contains(to)) continue;
            report.Append($"\n  {from} → {to}, which docs/design.md does not allow: ");
            report.AppendJoin("; ", examples.Order(StringComparer.Ordinal).Distinct().Take(3));
            if (examples.Count > 3) report.Append($" (and {examples.Count - 3} more)");
        }
        Assert.True(report.Length == 0, $"{what} breaks the layers:{report}");
    }

    private static List<string>? FindCycle(IReadOnlyDictionary<string, IReadOnlySet<string>> graph)
    {
        var state = new Dictionary<string, int>(); // 1: on the current path, 2: done
        var path = new List<string>();
        foreach (var start in graph.Keys)
        {
            var cycle = Visit(start);
            if (cycle is not null) return cycle;
        }
        return null;

        List<string>? Visit(string node)
        {
            if (state.GetValueOrDefault(node) == 2) return null;
            if (state.GetValueOrDefault(node) == 1) return [.. path[path.IndexOf(node)..], node];
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? new HashSet<string>())
            {
                var cycle = Visit(next);
                if (cycle is not null) return cycle;
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
    }
}
