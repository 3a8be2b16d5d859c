using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;
using CapMap.Clr;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// The properties PowerShell shows for an object (<c>PSObject.Properties</c>, in its order), worked out once per
/// shape, then read per object without asking PowerShell which member a name is. A shape is the base object's type,
/// the sequence of the object's own members (a PSCustomObject's notes, Get-ChildItem's PSPath ...) and its type
/// names (type data attaches members by type name, so two objects with the same notes but other names may show other
/// properties). Adapted .NET properties and alias properties to them are read through compiled getters, code
/// properties by calling their method, the object's own notes by their position in its member table. Only script
/// properties (and members of unknown kinds) still go through PowerShell, by name. A plan for nested objects leaves
/// script properties out (see <see cref="PSObjectAdapter.GetProperties"/>).
/// </summary>
/// <remarks>
/// <c>PSObject.Properties</c> builds its list anew on every call, walking the object's members, the type table for
/// each of its type names and the adapter: for <c>Import-Csv | Export-CapnpMessage</c> that was the largest of
/// CapMap's own costs per row (docs/benchmarks.md, "The 10,000-row export").
/// </remarks>
internal sealed class PSPropertyPlan
{
    // Shapes kept per type: records whose properties vary more than this (PSCustomObjects built by hand, say) are
    // read through PowerShell's public path, which costs about what making a plan for each of them would.
    private const int ShapesPerType = 8;

    // One table per use, keyed by the base object's type: keyed by a (Type, bool) tuple, the table's code was not in
    // the runtime's precompiled images (an instantiation over a value type) and was JIT-compiled in every process.
    private static readonly ConcurrentDictionary<Type, PSPropertyPlan[]> s_recordPlans = new();
    private static readonly ConcurrentDictionary<Type, PSPropertyPlan[]> s_nestedPlans = new();

    private readonly string[] _ownNames;   // the object's own members when the plan was made, in order
    private readonly IList<string> _typeNames; // its type names then
    private readonly Reader[] _readers;

    private PSPropertyPlan(string[] ownNames, IList<string> typeNames, Reader[] readers)
    {
        _ownNames = ownNames;
        _typeNames = typeNames;
        _readers = readers;
    }

    /// <summary>
    /// The plan for objects shaped like <paramref name="pso"/> (a wrapped .NET object or a PSCustomObject, not a
    /// dictionary), as a record or as a <paramref name="nested"/> object; null where PowerShell's internals are not
    /// as expected, and for a PSCustomObject of a shape beyond the first few of its type.
    /// </summary>
    public static PSPropertyPlan? For(PSObject pso, bool nested)
    {
        if (PSInstanceMembers.Of(pso) is not { } own) return null;
        var typeNames = PSTypeNames.All(pso);
        var table = nested ? s_nestedPlans : s_recordPlans;
        var type = pso.BaseObject.GetType();
        var known = table.TryGetValue(type, out var plans) ? plans : [];
        foreach (var plan in known)
            if (plan.Fits(own, typeNames))
                return plan;
        if (known.Length >= ShapesPerType)
            // A .NET object's shapes differ only in notes a provider adds: built each time, still cheaper than
            // PowerShell's adapter. A PSCustomObject has nothing else to read, so the public path serves as well.
            return pso.BaseObject is PSCustomObject ? null : Create(pso, own, typeNames, nested);
        var made = Create(pso, own, typeNames, nested);
        table[type] = [.. known, made];
        return made;
    }

    /// <summary>Properties the plan reads.</summary>
    public int Count => _readers.Length;

    /// <summary>Reads the properties of <paramref name="pso"/>, an object this plan was returned for.</summary>
    public List<KeyValuePair<string, object?>> Read(PSObject pso)
    {
        var own = PSInstanceMembers.Of(pso);
        var result = new List<KeyValuePair<string, object?>>(_readers.Length);
        foreach (var r in _readers) result.Add(new(r.Name, r.Read(pso, own)));
        return result;
    }

    private bool Fits(OrderedDictionary own, IList<string> typeNames)
    {
        if (own.Count != _ownNames.Length || !SameNames(typeNames, _typeNames)) return false;
        for (int i = 0; i < _ownNames.Length; i++)
            if (own[i] is not PSMemberInfo m || !SameName(m.Name, _ownNames[i]))
                return false;
        return true;
    }

    // Objects of one type, or the rows of one Import-Csv, share their names' strings (and usually the list itself).
    private static bool SameNames(IList<string> a, IList<string> b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
            if (!SameName(a[i], b[i]))
                return false;
        return true;
    }

    private static bool SameName(string a, string b) => ReferenceEquals(a, b) || string.Equals(a, b, StringComparison.Ordinal);

    private static PSPropertyPlan Create(PSObject pso, OrderedDictionary own, IList<string> typeNames, bool nested)
    {
        var ownNames = new string[own.Count];
        for (int i = 0; i < ownNames.Length; i++) ownNames[i] = ((PSMemberInfo)own[i]!).Name;
        var type = pso.BaseObject.GetType();
        var readers = new List<Reader>();
        foreach (var p in pso.Properties)
        {
            if (nested && p is PSScriptProperty) continue;
            int position = Array.IndexOf(ownNames, p.Name);
            if (position >= 0) readers.Add(new OwnReader(p.Name, position));
            else if (Compiled(type, p) is { } getter) readers.Add(new GetterReader(p.Name, getter));
            else if (p is PSCodeProperty { GetterCodeReference: { } method } && CompileCode(method) is { } code) readers.Add(new CodeReader(p.Name, code));
            else readers.Add(new PowerShellReader(p.Name));
        }
        // A record's hidden code properties that the default views read (FileInfo's NameString ...); a
        // PSCustomObject is shown by its properties alone.
        if (!nested && pso.BaseObject is not PSCustomObject)
            foreach (var hidden in PSHiddenCodeProperties.Of(pso))
                readers.Add(hidden.GetterCodeReference is { } method && CompileCode(method) is { } code
                    ? new CodeReader(hidden.Name, code)
                    : new PowerShellReader(hidden.Name));
        // A copy: a list of names that is the object's own can still change (PSTypeNames.Insert) after the plan is made.
        return new PSPropertyPlan(ownNames, typeNames.ToArray(), readers.ToArray());
    }

    // An adapted .NET property (or an alias to one) whose type PowerShell reports as the property's own.
    private static Func<object, object?>? Compiled(Type type, PSPropertyInfo p)
    {
        string? name = p switch
        {
            PSProperty adapted => adapted.Name,
            PSAliasProperty { ConversionType: null } alias => alias.ReferencedMemberName,
            _ => null,
        };
        if (name is null || type.GetProperty(name, BindingFlags.Instance | BindingFlags.Public) is not { } clr) return null;
        if (p is PSProperty && clr.PropertyType.FullName != p.TypeNameOfValue) return null;
        return PropertyGetters.Find(type, name);
    }

    private static Func<PSObject, object?>? CompileCode(MethodInfo method)
    {
        var parameters = method.GetParameters();
        if (!method.IsStatic || parameters.Length != 1 || parameters[0].ParameterType != typeof(PSObject) || method.ReturnType == typeof(void)) return null;
        return CompileWhenHot<PSObject, object?>.Create(pso => InvokeOrNull(method, pso), () => CompileCodeNow(method) ?? (pso => InvokeOrNull(method, pso)));
    }

    // The compiled form's catch-all, by reflection: a code property that throws reads as null.
    private static object? InvokeOrNull(MethodInfo method, PSObject pso)
    {
        try
        {
            return method.Invoke(null, [pso]);
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    private static Func<PSObject, object?>? CompileCodeNow(MethodInfo method)
    {
        try
        {
            var o = Expression.Parameter(typeof(PSObject), "o");
            var body = Expression.Convert(Expression.Call(method, o), typeof(object));
            var guarded = Expression.TryCatch(body, Expression.Catch(typeof(Exception), Expression.Constant(null, typeof(object))));
            return Expression.Lambda<Func<PSObject, object?>>(guarded, o).Compile();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or MemberAccessException)
        {
            return null;
        }
    }

    private abstract class Reader(string name)
    {
        public string Name { get; } = name;
        public abstract object? Read(PSObject pso, OrderedDictionary? own);
    }

    // By position: the plan fits only objects whose own members have the names it was made from, in that order.
    private sealed class OwnReader(string name, int position) : Reader(name)
    {
        public override object? Read(PSObject pso, OrderedDictionary? own) =>
            own?[position] is PSPropertyInfo p ? PSInstanceMembers.Read(p) : null;
    }

    private sealed class GetterReader(string name, Func<object, object?> getter) : Reader(name)
    {
        public override object? Read(PSObject pso, OrderedDictionary? own) => getter(pso.BaseObject);
    }

    private sealed class CodeReader(string name, Func<PSObject, object?> code) : Reader(name)
    {
        public override object? Read(PSObject pso, OrderedDictionary? own) => code(pso);
    }

    private sealed class PowerShellReader(string name) : Reader(name)
    {
        public override object? Read(PSObject pso, OrderedDictionary? own) =>
            pso.Properties[Name] is { } p ? PSInstanceMembers.Read(p) : null;
    }
}
