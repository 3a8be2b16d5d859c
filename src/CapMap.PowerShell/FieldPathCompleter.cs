using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CapMap.Objects;

namespace CapMap.PowerShell;

/// <summary>Completes -Field with the List(Struct), struct and group fields under the -RootType (or the message's root).</summary>
public sealed class FieldPathCompleter : SchemaArgumentCompleter
{
    public override IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var schema = FindSchema(fakeBoundParameters, out var message);
        if (schema is null) return Array.Empty<CompletionResult>();
        Schema.StructSchema root;
        try
        {
            if (message is not null) root = message.RootSchema;
            else if (fakeBoundParameters.Contains("RootType") && fakeBoundParameters["RootType"] is { } rootName)
                root = schema.GetStruct(rootName is PSObject p ? p.BaseObject.ToString()! : rootName.ToString()!);
            else return Array.Empty<CompletionResult>();
        }
        catch (CapMapErrorException)
        {
            return Array.Empty<CompletionResult>();
        }
        var items = FieldPath.Candidates(root).Select(c => (c.Path, $"{c.Path} :{c.Type}"));
        return Match(items, wordToComplete).ToList();
    }
}
