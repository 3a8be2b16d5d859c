namespace CapMap.Tests.Architecture;

/// <summary>
/// The dependency rules of docs/design.md's Layers section, read from the document itself so that the test and the
/// design can never state different rules. They are the fenced block marked <c>layers</c>: one line per folder of
/// CapMap.Core, <c>Folder → Other, Other</c> (or <c>→ nothing</c>), listing every folder it may use directly, and
/// one line for the PowerShell module (<see cref="Module"/>).
/// </summary>
internal sealed class LayerRules
{
    /// <summary>The name the rules give the PowerShell module (src/CapMap.PowerShell).</summary>
    public const string Module = "PowerShell";

    private LayerRules(IReadOnlyDictionary<string, IReadOnlySet<string>> allowed) => Allowed = allowed;

    /// <summary>Each folder (and the module) with the Core folders it may use.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Allowed { get; }

    /// <summary>The Core folders the rules name (every line but the module's).</summary>
    public IEnumerable<string> CoreFolders => Allowed.Keys.Where(k => k != Module);

    /// <summary>The design document as the test build copies it next to the tests.</summary>
    public static string DesignPath => Path.Combine(AppContext.BaseDirectory, "Architecture", "design.md");

    public static LayerRules FromDesign() => Parse(File.ReadAllLines(DesignPath));

    public static LayerRules Parse(IReadOnlyList<string> lines)
    {
        int start = -1;
        for (int i = 0; i < lines.Count; i++)
            if (lines[i].Trim() == "```layers") start = i + 1;
        if (start < 0) throw new FormatException("docs/design.md has no ```layers block.");
        var allowed = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        for (int i = start; i < lines.Count && lines[i].Trim() != "```"; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0) continue;
            int arrow = line.IndexOf('→');
            if (arrow < 0) throw new FormatException($"Line {i + 1} of docs/design.md's layers block has no '→': {line}");
            string from = line[..arrow].Trim();
            string to = line[(arrow + 1)..].Trim();
            var targets = to == "nothing"
                ? new HashSet<string>()
                : to.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            if (!allowed.TryAdd(from, targets))
                throw new FormatException($"docs/design.md's layers block names {from} twice.");
        }
        if (!allowed.ContainsKey(Module)) throw new FormatException($"docs/design.md's layers block has no line for {Module}.");
        return new LayerRules(allowed);
    }

    /// <summary>The Core folder of a namespace (CapMap.Schema.Inference → Schema), or null for a type outside CapMap.Core's folders.</summary>
    public static string? FolderOf(string ns)
    {
        if (!ns.StartsWith("CapMap.", StringComparison.Ordinal)) return null;
        string rest = ns["CapMap.".Length..];
        int dot = rest.IndexOf('.');
        string folder = dot < 0 ? rest : rest[..dot];
        return folder == Module ? null : folder;
    }
}
