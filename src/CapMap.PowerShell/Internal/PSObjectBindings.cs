using System.Collections;
using System.Collections.Specialized;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;
using CapMap.Clr;
using CapMap.Schema.Inference;

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

/// <summary>
/// Binds field names to a PSCustomObject's note properties by position, once per property-name sequence. A record
/// is read by walking its own members once and checking that the names are the bound ones (reference-equal in
/// the usual case: the same script literal made them), so no lookup by name happens per field.
/// </summary>
internal sealed class NoteSequenceBinding : PropertyBinding
{
    private readonly string[] _memberNames;
    private readonly int[] _fieldOf;            // member position → field index, -1 for none
    private readonly (int Field, string Name)[] _elsewhere; // fields the object showed through type data, not its own members

    private NoteSequenceBinding(string[] memberNames, int[] fieldOf, (int, string)[] elsewhere)
    {
        _memberNames = memberNames;
        _fieldOf = fieldOf;
        _elsewhere = elsewhere;
    }

    public static NoteSequenceBinding? Create(PSObject pso, IReadOnlyList<string> names)
    {
        if (PSInstanceMembers.Of(pso) is not { } members) return null;
        var memberNames = new List<string>();
        var fieldOf = new List<int>();
        var claimed = new bool[names.Count];
        foreach (DictionaryEntry entry in members)
        {
            if (entry.Value is not PSMemberInfo m) return null;
            memberNames.Add(m.Name);
            int field = -1;
            if (m is PSPropertyInfo)
                for (int i = 0; i < names.Count; i++)
                    if (!claimed[i] && string.Equals(names[i], m.Name, StringComparison.OrdinalIgnoreCase)) { field = i; claimed[i] = true; break; }
            fieldOf.Add(field);
        }
        var elsewhere = new List<(int, string)>();
        for (int i = 0; i < names.Count; i++)
            if (!claimed[i] && pso.Properties[names[i]] is not null) elsewhere.Add((i, names[i]));
        return new NoteSequenceBinding(memberNames.ToArray(), fieldOf.ToArray(), elsewhere.ToArray());
    }

    public override bool TryRead(object source, object?[] values)
    {
        if (source is not PSObject { BaseObject: PSCustomObject } pso || PSInstanceMembers.Of(pso) is not { } members) return false;
        var expected = _memberNames;
        if (members.Count != expected.Length) return false;
        for (int k = 0; k < expected.Length; k++)
        {
            if (members[k] is not PSMemberInfo m) return false;
            string name = m.Name;
            if (!ReferenceEquals(name, expected[k]) && !string.Equals(name, expected[k], StringComparison.Ordinal)) return false;
            int field = _fieldOf[k];
            if (field >= 0) values[field] = m is PSPropertyInfo p ? PSInstanceMembers.Read(p) : null;
        }
        foreach (var (field, name) in _elsewhere)
            values[field] = pso.Properties[name] is { } p ? PSInstanceMembers.Read(p) : null;
        return true;
    }
}

/// <summary>
/// Binds field names to a .NET type as PowerShell shows it: a property PowerShell adapts from the type itself is
/// read by a getter compiled once per type; a note, script, code or alias property (type data, the provider's
/// PSPath notes) still goes through PowerShell, by name.
/// </summary>
internal sealed class DotNetTypeBinding : PropertyBinding
{
    private readonly Type _type;
    private readonly bool _wrapped;
    private readonly Func<object, object?>?[] _getters; // null: read through PowerShell by name
    private readonly string[] _names;

    private DotNetTypeBinding(Type type, bool wrapped, Func<object, object?>?[] getters, string[] names)
    {
        _type = type;
        _wrapped = wrapped;
        _getters = getters;
        _names = names;
    }

    public static DotNetTypeBinding? Create(object source, IReadOnlyList<string> names)
    {
        var pso = source as PSObject;
        object target = pso?.BaseObject ?? source;
        if (target is PSCustomObject or IDictionary || !HasOnlyTheDotNetAdapter(target)) return null;
        var type = target.GetType();
        var getters = new Func<object, object?>?[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            if (pso is null)
            {
                getters[i] = PropertyGetters.Find(type, names[i]) ?? (_ => null);
                continue;
            }
            // Only a member PowerShell itself takes from the .NET property, with the same type, may skip PowerShell.
            if (pso.Properties[names[i]] is PSProperty adapted && type.GetProperty(adapted.Name, BindingFlags.Instance | BindingFlags.Public) is { } clr
                && clr.PropertyType.FullName == adapted.TypeNameOfValue)
                getters[i] = PropertyGetters.Find(type, adapted.Name);
        }
        return new DotNetTypeBinding(type, pso is not null, getters, names.ToArray());
    }

    // XML nodes, data rows, WMI and COM objects get their properties from other adapters: names there are not .NET properties.
    private static bool HasOnlyTheDotNetAdapter(object target) =>
        !target.GetType().IsCOMObject && target is not (System.Xml.XmlNode or System.Data.DataRow or System.Data.DataRowView)
        && target.GetType().Namespace?.StartsWith("System.Management", StringComparison.Ordinal) != true;

    public override bool TryRead(object source, object?[] values)
    {
        var pso = source as PSObject;
        if ((pso is not null) != _wrapped) return false;
        object target = pso?.BaseObject ?? source;
        if (target.GetType() != _type) return false;
        var getters = _getters;
        for (int i = 0; i < getters.Length; i++)
        {
            var getter = getters[i];
            values[i] = getter is not null ? getter(target) : pso!.Properties[_names[i]] is { } p ? PSInstanceMembers.Read(p) : null;
        }
        return true;
    }
}
