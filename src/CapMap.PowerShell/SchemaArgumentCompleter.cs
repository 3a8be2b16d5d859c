using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
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
