using System.Collections.Specialized;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;
using CapMap.Clr;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// An object's own members (a PSCustomObject's note properties in order, the PSPath notes Get-ChildItem adds), read
/// from PowerShell's internal collection because the public <c>PSObject.Properties</c> walks the type table and
/// the adapters on every call. Null where this PowerShell has no such member: callers then take the public path.
/// </summary>
internal static class PSInstanceMembers
{
    // PSObject.InstanceMembers.Members: an OrderedDictionary of name → PSMemberInfo in the order they were added.
    // Its public enumerator copies the members into a new list on every call, so records are read by position.
    // It is found through PSObject.HasInstanceMembers, which only looks: the InstanceMembers property would add the
    // base object to PowerShell's resurrection table (a ConditionalWeakTable), and every entry of that table is a
    // dependent handle that each garbage collection scans. One entry per nested object of every record (a file's
    // DirectoryInfo, FileVersionInfo ...) made each young collection of a FileInfo export several times slower.
    private static readonly OrderedDictionary None = new OrderedDictionary().AsReadOnly();
    private static readonly Func<PSObject, OrderedDictionary?>? s_get = Compile();

    /// <summary>The object's own members in order (empty when it has none); null where this PowerShell's internals differ.</summary>
    public static OrderedDictionary? Of(PSObject pso) => s_get?.Invoke(pso);

    private static Func<PSObject, OrderedDictionary?>? Compile()
    {
        var collection = typeof(PSObject).GetProperty("InstanceMembers", BindingFlags.Instance | BindingFlags.NonPublic)?.PropertyType;
        var members = collection?.GetProperty("Members", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
        var lookup = collection is null ? null : typeof(PSObject).GetMethod("HasInstanceMembers", BindingFlags.Static | BindingFlags.NonPublic,
            [typeof(object), collection.MakeByRefType()]);
        if (collection is null || members is null || lookup is null || members.PropertyType != typeof(OrderedDictionary)) return null;
        // Read once per record: reflected for the first records, compiled once there are enough to pay for it.
        return CompileWhenHot<PSObject, OrderedDictionary?>.Create(Reflected(members, lookup), () => CompileNow(collection, members, lookup));
    }

    private static Func<PSObject, OrderedDictionary?> Reflected(PropertyInfo members, MethodInfo lookup) => o =>
    {
        object?[] arguments = [o, null];
        return (bool)lookup.Invoke(null, arguments)! ? (OrderedDictionary?)members.GetValue(arguments[1]) : None;
    };

    private static Func<PSObject, OrderedDictionary?> CompileNow(Type collection, PropertyInfo members, MethodInfo lookup)
    {
        try
        {
            var o = Expression.Parameter(typeof(PSObject), "o");
            var found = Expression.Variable(collection, "found");
            var body = Expression.Block(typeof(OrderedDictionary), [found],
                Expression.Condition(
                    Expression.Call(lookup, Expression.Convert(o, typeof(object)), found),
                    Expression.Property(found, members),
                    Expression.Constant(None)));
            return Expression.Lambda<Func<PSObject, OrderedDictionary?>>(body, o).Compile();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or MemberAccessException)
        {
            return Reflected(members, lookup);
        }
    }

    /// <summary>A property's value as Select-Object shows it: null for a throwing getter and for AutomationNull.</summary>
    public static object? Read(PSPropertyInfo property)
    {
        try
        {
            object? v = property is PSNoteProperty note ? note.Value : property.Value;
            return ReferenceEquals(v, System.Management.Automation.Internal.AutomationNull.Value) ? null : v;
        }
        catch (Exception e) when (e is GetValueException or RuntimeException or InvalidOperationException or NotSupportedException
            or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return null; // Process.ExitCode of a running process, and the like
        }
    }
}
