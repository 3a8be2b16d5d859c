using System.Management.Automation;
using System.Reflection;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// The hidden code properties PowerShell's type data gives an object, which <c>PSObject.Properties</c> does not list
/// but the default views read: FileInfo's and DirectoryInfo's <c>NameString</c>, <c>LengthString</c> and
/// <c>LastWriteTimeString</c> (the directory table's Name, Length and LastWriteTime columns). Export-Clixml keeps
/// them, so Import-Clixml's files print the usual table; a record keeps them too, so Import-CapnpMessage's do.
/// </summary>
/// <remarks>
/// Only code properties: each is a static method over the object's own data, cheap to call, and they are all the
/// hidden properties PowerShell 7's built-in types have but one alias (CommandInfo's Namespace, another name for
/// ModuleName that no view reads). Only a record's own: a nested object is never formatted by its own view, as its
/// script properties are left out too (<see cref="PSObjectAdapter.GetProperties"/>). PowerShell lists hidden
/// members only through an internal overload of Match (Get-Member -Force uses it); where a version lacks it, no
/// hidden property is kept, and the views show those columns empty, as they did before.
/// </remarks>
internal static class PSHiddenCodeProperties
{
    // PSMemberInfoIntegratingCollection<PSPropertyInfo>.Match(string, PSMemberTypes, MshMemberMatchOptions.IncludeHidden).
    private static readonly (MethodInfo Match, object IncludeHidden)? s_match = Find();

    // Where PowerShell's intrinsic members of every object (pstypenames ...) are implemented.
    private const string ReservedMembers = "System.Management.Automation.ReservedNameMembers";

    /// <summary>The object's hidden code properties, in the order of its type data (empty where none or not found).</summary>
    public static IReadOnlyList<PSCodeProperty> Of(PSObject pso)
    {
        if (s_match is not { } match) return [];
        object? found;
        try
        {
            found = match.Match.Invoke(pso.Properties, ["*", PSMemberTypes.CodeProperty, match.IncludeHidden]);
        }
        catch (TargetInvocationException)
        {
            return [];
        }
        if (found is not IEnumerable<PSPropertyInfo> all) return [];
        // Hidden is not public on a member: the hidden ones are those the public Match leaves out.
        HashSet<string>? shown = null;
        List<PSCodeProperty>? hidden = null;
        foreach (var p in all)
        {
            // pstypenames (and the like) is PowerShell's own member of every object, not the type's: never data.
            if (p is not PSCodeProperty code || code.GetterCodeReference?.DeclaringType?.FullName == ReservedMembers) continue;
            shown ??= pso.Properties.Match("*", PSMemberTypes.CodeProperty).Select(v => v.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (!shown.Contains(code.Name)) (hidden ??= []).Add(code);
        }
        return hidden ?? (IReadOnlyList<PSCodeProperty>)[];
    }

    private static (MethodInfo, object)? Find()
    {
        var options = typeof(PSObject).Assembly.GetType("System.Management.Automation.MshMemberMatchOptions");
        if (options is null || !Enum.IsDefined(options, "IncludeHidden")) return null;
        var collection = PSObject.AsPSObject(new object()).Properties.GetType();
        var match = collection.GetMethod("Match", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public,
            [typeof(string), typeof(PSMemberTypes), options]);
        return match is null ? null : (match, Enum.Parse(options, "IncludeHidden"));
    }
}
