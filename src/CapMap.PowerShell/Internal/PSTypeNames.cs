using System.Management.Automation;
using System.Reflection;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// An object's PowerShell type names, read without PowerShell's resurrection table. The public
/// <c>PSObject.TypeNames</c> getter files a writable copy of the names in a ConditionalWeakTable keyed by the base
/// object, and each entry of that table is a dependent handle that every garbage collection scans: read once per
/// nested object of every record, that made young collections several times slower.
/// </summary>
internal static class PSTypeNames
{
    // PSObject.InternalTypeNames: the names as they are (looked up in the table, never added to it).
    private static readonly Func<PSObject, IList<string>>? s_internal = CompileInternal();

    // PSObject.StoreTypeNameAndInstanceMembersLocally: names and members kept on the PSObject itself.
    private static readonly Action<PSObject>? s_storeLocally = CompileStoreLocally();

    /// <summary>The object's type names as they are (not to be changed: for many objects the list is shared).</summary>
    public static IList<string> All(PSObject pso) => s_internal is { } read ? read(pso) : pso.TypeNames;

    /// <summary>The first of the object's type names (the most derived, or one a user or deserializer put first).</summary>
    public static string? First(PSObject pso)
    {
        var names = All(pso);
        return names.Count > 0 ? names[0] : null;
    }

    /// <summary>
    /// A PSObject over <paramref name="value"/> that shows <paramref name="typeName"/> first, made as PowerShell's own
    /// Get-Error makes its wrappers (names and members kept locally). Measured, the names still land in the table,
    /// one entry per wrapper, for as long as the wrapped row lives; only rows whose type name reflection cannot carry
    /// are wrapped (RowTypes), and only when they are decoded.
    /// </summary>
    public static PSObject WithFirst(object value, string typeName)
    {
        var result = new PSObject(value);
        s_storeLocally?.Invoke(result);
        result.TypeNames.Insert(0, typeName);
        return result;
    }

    // Delegates bound straight to the internal accessors (a getter returning a list of names binds to a delegate
    // returning IList<string>): no code is generated for them, so importing the module costs no expression compiler.
    private static Func<PSObject, IList<string>>? CompileInternal()
    {
        var property = typeof(PSObject).GetProperty("InternalTypeNames", BindingFlags.Instance | BindingFlags.NonPublic);
        if (property?.GetMethod is not { } getter || !typeof(IList<string>).IsAssignableFrom(property.PropertyType)) return null;
        return getter.CreateDelegate<Func<PSObject, IList<string>>>();
    }

    private static Action<PSObject>? CompileStoreLocally()
    {
        var property = typeof(PSObject).GetProperty("StoreTypeNameAndInstanceMembersLocally", BindingFlags.Instance | BindingFlags.NonPublic);
        if (property is not { CanWrite: true } || property.PropertyType != typeof(bool)) return null;
        var set = property.SetMethod!.CreateDelegate<Action<PSObject, bool>>();
        return o => set(o, true);
    }
}
