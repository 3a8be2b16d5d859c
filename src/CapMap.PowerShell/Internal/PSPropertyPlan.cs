using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;
using CapMap.Clr;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// The properties PowerShell shows for a .NET object (<c>PSObject.Properties</c>, in its order), worked out once per
/// type and per sequence of the object's own note properties (Get-ChildItem's PSPath ...), then read per object
/// without asking PowerShell which member a name is: adapted .NET properties and alias properties to them through
/// compiled getters, code properties by calling their method, the object's own notes from its member table. Only
/// script properties (and members of unknown kinds) still go through PowerShell, by name. A plan for nested
/// objects leaves script properties out (see <see cref="PSObjectAdapter.GetProperties"/>).
/// </summary>
internal sealed class PSPropertyPlan
{
    private static readonly ConcurrentDictionary<(Type Type, bool Nested), PSPropertyPlan[]> s_plans = new();

    private readonly string[] _ownNames;   // the object's own members when the plan was made, in order
    private readonly Reader[] _readers;

    private PSPropertyPlan(string[] ownNames, Reader[] readers)
    {
        _ownNames = ownNames;
        _readers = readers;
    }

    /// <summary>
    /// The plan for objects shaped like <paramref name="pso"/> (a wrapped .NET object, not a dictionary or
    /// PSCustomObject), as a record or as a <paramref name="nested"/> object; null where PowerShell's internals are
    /// not as expected.
    /// </summary>
    public static PSPropertyPlan? For(PSObject pso, bool nested)
    {
        if (PSInstanceMembers.Of(pso) is not { } own) return null;
        var key = (pso.BaseObject.GetType(), nested);
        var known = s_plans.TryGetValue(key, out var plans) ? plans : [];
        foreach (var plan in known)
            if (plan.Fits(own))
                return plan;
        var made = Create(pso, own, nested);
        if (known.Length < 8) s_plans[key] = [.. known, made]; // a few shapes per type; beyond that, built each time
        return made;
    }

    /// <summary>Properties the plan reads.</summary>
    public int Count => _readers.Length;

    public List<KeyValuePair<string, object?>> Read(PSObject pso)
    {
        var own = PSInstanceMembers.Of(pso);
        var result = new List<KeyValuePair<string, object?>>(_readers.Length);
        foreach (var r in _readers) result.Add(new(r.Name, r.Read(pso, own)));
        return result;
    }

    private bool Fits(OrderedDictionary own)
    {
        if (own.Count != _ownNames.Length) return false;
        for (int i = 0; i < _ownNames.Length; i++)
            if (own[i] is not PSMemberInfo m || !string.Equals(m.Name, _ownNames[i], StringComparison.Ordinal))
                return false;
        return true;
    }

    private static PSPropertyPlan Create(PSObject pso, OrderedDictionary own, bool nested)
    {
        var ownNames = new string[own.Count];
        for (int i = 0; i < ownNames.Length; i++) ownNames[i] = ((PSMemberInfo)own[i]!).Name;
        var type = pso.BaseObject.GetType();
        var readers = new List<Reader>();
        foreach (var p in pso.Properties)
        {
            if (nested && p is PSScriptProperty) continue;
            if (own.Contains(p.Name)) readers.Add(new OwnReader(p.Name));
            else if (Compiled(type, p) is { } getter) readers.Add(new GetterReader(p.Name, getter));
            else if (p is PSCodeProperty { GetterCodeReference: { } method } && CompileCode(method) is { } code) readers.Add(new CodeReader(p.Name, code));
            else readers.Add(new PowerShellReader(p.Name));
        }
        // A record's hidden code properties that the default views read (FileInfo's NameString ...).
        if (!nested)
            foreach (var hidden in PSHiddenCodeProperties.Of(pso))
                readers.Add(hidden.GetterCodeReference is { } method && CompileCode(method) is { } code
                    ? new CodeReader(hidden.Name, code)
                    : new PowerShellReader(hidden.Name));
        return new PSPropertyPlan(ownNames, readers.ToArray());
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

    private sealed class OwnReader(string name) : Reader(name)
    {
        public override object? Read(PSObject pso, OrderedDictionary? own) =>
            own?[Name] is PSPropertyInfo p ? PSInstanceMembers.Read(p) : null;
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
