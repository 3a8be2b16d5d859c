using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using CapMap.Objects;
using CapMap.PowerShell.Internal;

namespace CapMap.PowerShell;

/// <summary>Shared part of the -RootType and -Field completers: finds the schema the command line names.</summary>
public abstract class SchemaArgumentCompleter : IArgumentCompleter
{
    public abstract IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters);

    /// <summary>The schema from -Schema (object or path) or from -Message; null when there is none or it does not load.</summary>
    internal static CapnpSchema? FindSchema(IDictionary fakeBoundParameters, out CapnpMappedMessage? message)
    {
        message = null;
        try
        {
            if (fakeBoundParameters.Contains("Message") && Unwrap(fakeBoundParameters["Message"]) is CapnpMappedMessage m)
            {
                message = m;
                return m.Schema;
            }
            if (!fakeBoundParameters.Contains("Schema")) return null;
            return SchemaFiles.Resolve(Unwrap(fakeBoundParameters["Schema"]), ResolveAgainstLocation);
        }
        catch (Exception e) when (e is CapMapErrorException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null; // completion offers nothing rather than failing the tab press
        }
    }

    private static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

    /// <summary>Relative paths are relative to the PowerShell location, not the process directory.</summary>
    private static string ResolveAgainstLocation(string path)
    {
        if (Path.IsPathRooted(path)) return path;
        string? location = null;
        try
        {
            location = Runspace.DefaultRunspace?.SessionStateProxy?.Path?.CurrentFileSystemLocation?.ProviderPath;
        }
        catch (Exception e) when (e is PSInvalidOperationException or InvalidOperationException or NotSupportedException)
        {
        }
        return Path.GetFullPath(Path.Combine(location ?? Environment.CurrentDirectory, path));
    }

    internal static IEnumerable<CompletionResult> Match(IEnumerable<(string Text, string Tooltip)> items, string wordToComplete)
    {
        string prefix = (wordToComplete ?? "").Trim('\'', '"');
        foreach (var (text, tooltip) in items)
        {
            if (!text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
            yield return new CompletionResult(text, text, CompletionResultType.ParameterValue, tooltip);
        }
    }
}

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
