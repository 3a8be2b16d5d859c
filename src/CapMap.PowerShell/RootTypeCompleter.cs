using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CapMap.PowerShell;

/// <summary>Completes -RootType with the structs of the -Schema argument, likely roots first.</summary>
public sealed class RootTypeCompleter : SchemaArgumentCompleter
{
    public override IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var schema = FindSchema(fakeBoundParameters, out _);
        if (schema is null) return Array.Empty<CompletionResult>();
        var roots = schema.RootCandidates.Select(n => (n, $"{n} (root candidate in {schema.FileName})"));
        var others = schema.Structs.Except(schema.RootCandidates, StringComparer.Ordinal).Select(n => (n, $"{n} (struct in {schema.FileName})"));
        return Match(roots.Concat(others), wordToComplete).ToList();
    }
}
