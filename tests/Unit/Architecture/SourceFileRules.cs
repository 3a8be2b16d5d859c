using System.Text.RegularExpressions;

namespace CapMap.Tests.Architecture;

/// <summary>
/// The rules every C# file of src/ keeps, read from its text: at most <see cref="MaxLines"/> lines (a longer file
/// does several jobs; split it by concern, as partial files or collaborators), and each top-level type in a file
/// named after it, so that a type is found by its name: <c>Name.cs</c>, or <c>Name.Concern.cs</c> for one part of
/// a partial type (System.Text.Json's <c>Utf8JsonWriter.WriteValues.cs</c>). Records, enums, interfaces and
/// delegates count as types; nested types belong to the type around them, and file-local (<c>file</c>) types to
/// their file.
/// </summary>
internal static partial class SourceFileRules
{
    /// <summary>The most lines a file may have.</summary>
    public const int MaxLines = 500;

    /// <summary>What is wrong with one file: nothing (empty), or one line per broken rule.</summary>
    public static IReadOnlyList<string> Check(string fileName, string text)
    {
        var problems = new List<string>();
        int lines = LineCount(text);
        if (lines > MaxLines)
            problems.Add($"{lines} lines (at most {MaxLines}): split it by concern");
        if (!FileScopedNamespace().IsMatch(text))
            problems.Add("no file-scoped namespace (`namespace X;`), so its top-level types cannot be told from nested ones");
        string expected = fileName.Split('.')[0];
        foreach (var type in TopLevelTypes(text).Where(t => t != expected).Distinct())
            problems.Add($"declares {type}, which belongs in {type}.cs");
        return problems;
    }

    /// <summary>Lines as `wc -l` counts them, plus a last line without a line break.</summary>
    public static int LineCount(string text) =>
        text.Count(c => c == '\n') + (text.Length > 0 && !text.EndsWith('\n') ? 1 : 0);

    /// <summary>
    /// The names of the types declared at the top level of a file with a file-scoped namespace: those declarations
    /// start in the first column (members and nested types are indented), after any attributes. File-local types
    /// are left out.
    /// </summary>
    public static IEnumerable<string> TopLevelTypes(string text) =>
        TopLevelDeclaration().Matches(text)
            .Where(m => !Regex.IsMatch(m.Groups["modifiers"].Value, @"\bfile\b"))
            .Select(m => m.Groups["name"].Value);

    [GeneratedRegex(@"^namespace\s+[\w.]+\s*;", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();

    [GeneratedRegex(
        @"^(?:\[[^\]\r\n]*\]\s*)*(?<modifiers>(?:(?:public|internal|file|static|sealed|abstract|unsafe|partial|readonly|ref|new)\s+)*)" +
        @"(?:(?:class|struct|interface|enum|record(?:\s+(?:class|struct))?)|delegate\s+[\w.<>\[\]?, ]+?)\s+(?<name>[A-Za-z_]\w*)",
        RegexOptions.Multiline)]
    private static partial Regex TopLevelDeclaration();
}
