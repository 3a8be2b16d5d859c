using Xunit;

namespace CapMap.Tests.Architecture;

/// <summary>
/// Every C# file of src/ keeps <see cref="SourceFileRules"/>: no file over 500 lines, and each top-level type in a
/// file named after it. The files are read where they are (the repository that built these tests), so a file
/// deleted or renamed there is gone here too.
/// </summary>
public sealed class SourceFileRulesTests
{
    /// <summary>
    /// Files that break a rule today, each with the reason it may for now. An entry that no longer breaks one fails
    /// <see cref="EveryKnownExceptionStillBreaksARule"/>, so the list only ever shrinks.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> KnownExceptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };

    [Fact]
    public void EverySourceFileKeepsTheRules()
    {
        var files = SourceFiles().ToList();
        Assert.True(files.Count > 100, $"Only {files.Count} C# files found under {SourceRoot}.");
        var broken = files
            .Where(f => !KnownExceptions.ContainsKey(f.Relative))
            .SelectMany(f => SourceFileRules.Check(Path.GetFileName(f.Full), File.ReadAllText(f.Full)).Select(p => $"{f.Relative}: {p}"))
            .ToList();
        Assert.True(broken.Count == 0, "C# files of src/ that break the source rules (see SourceFileRules):\n" + string.Join("\n", broken));
    }

    [Fact]
    public void EveryKnownExceptionStillBreaksARule()
    {
        var stale = KnownExceptions.Keys
            .Where(relative => !File.Exists(Path.Combine(SourceRoot, relative))
                || SourceFileRules.Check(Path.GetFileName(relative), File.ReadAllText(Path.Combine(SourceRoot, relative))).Count == 0)
            .ToList();
        Assert.True(stale.Count == 0, "Known exceptions that keep the rules now (remove them from the list): " + string.Join(", ", stale));
    }

    [Fact]
    public void AFileOverTheLimitIsReported()
    {
        string text = "namespace CapMap.Wire;\n\ninternal sealed class Long\n{\n" + string.Concat(Enumerable.Repeat("    // line\n", SourceFileRules.MaxLines - 5)) + "}\n";
        Assert.Equal(SourceFileRules.MaxLines, SourceFileRules.LineCount(text));
        Assert.Empty(SourceFileRules.Check("Long.cs", text));
        var problem = Assert.Single(SourceFileRules.Check("Long.cs", text + "// one more\n"));
        Assert.Contains($"{SourceFileRules.MaxLines + 1} lines", problem);
    }

    [Fact]
    public void ASecondTopLevelTypeIsReportedByName()
    {
        const string text = """
            using CapMap.Wire;

            namespace CapMap.Messages;

            /// <summary>The summary.</summary>
            public sealed record MessageSummary(string Path, long Bytes);

            /// <summary>How the gaps closed.</summary>
            [Flags]
            public enum GapClosing { None = 0 }

            [Obsolete] internal readonly record struct FlushPoint(long Offset);

            public delegate void Reached(long offset);

            internal static class Errno
            {
                internal const int EIO = 5;
            }
            """;
        var problems = SourceFileRules.Check("MessageSummary.cs", text);
        Assert.Equal(
            ["declares GapClosing, which belongs in GapClosing.cs", "declares FlushPoint, which belongs in FlushPoint.cs",
             "declares Reached, which belongs in Reached.cs", "declares Errno, which belongs in Errno.cs"],
            problems);
    }

    [Fact]
    public void PartsOfAPartialTypeNestedTypesAndFileLocalTypesKeepTheRules()
    {
        const string text = """
            namespace CapMap.Messages;

            // Checkpoints.
            public sealed unsafe partial class MappedMessageBuilder
            {
                private sealed class Nested { }

                public enum NestedKind { A }
            }

            file sealed class Helper { }
            """;
        Assert.Empty(SourceFileRules.Check("MappedMessageBuilder.Checkpoints.cs", text));
        Assert.Equal(["declares MappedMessageBuilder, which belongs in MappedMessageBuilder.cs"], SourceFileRules.Check("Checkpoints.cs", text));
    }

    [Fact]
    public void ABlockScopedNamespaceIsReported()
    {
        const string text = "namespace CapMap.Wire\n{\n    internal sealed class Other { }\n}\n";
        Assert.Contains(SourceFileRules.Check("Single.cs", text), p => p.Contains("file-scoped namespace"));
    }

    /// <summary>src/ of the repository these tests were built from: the nearest folder above them with CapMap.slnx.</summary>
    private static string SourceRoot { get; } = FindSourceRoot();

    private static string FindSourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CapMap.slnx")))
                return Path.Combine(dir.FullName, "src");
        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds CapMap.slnx: the source rules read src/ of the repository.");
    }

    /// <summary>The C# files of src/ (build output left out), with their paths relative to src/ in '/' form.</summary>
    private static IEnumerable<(string Full, string Relative)> SourceFiles() =>
        Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Select(full => (Full: full, Relative: Path.GetRelativePath(SourceRoot, full).Replace(Path.DirectorySeparatorChar, '/')))
            .Where(f => !f.Relative.Split('/').Any(part => part is "bin" or "obj"))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
}
