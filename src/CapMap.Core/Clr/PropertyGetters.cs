using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace CapMap.Clr;

/// <summary>
/// Getters of .NET objects' public instance properties (not indexers), made once per type (interpreted, then compiled
/// once hot: <see cref="CompileWhenHot{TArg, TResult}"/>) and cached for the process. Both schema inference (<c>Schema.Inference.ObjectAdapter</c>) and the object writers
/// (<c>Schema.Inference.PlainObjectProperties</c>, <c>Objects.StructPlan</c>, the PowerShell binder) read properties through
/// them; they live in a folder of their own, below both, so neither has to reach into the other. Thread-safe.
/// </summary>
public static class PropertyGetters
{
    private static readonly ConcurrentDictionary<Type, TypeProperties> s_types = new();

    /// <summary>
    /// The getter of public instance property <paramref name="name"/> of <paramref name="type"/> (exact case first,
    /// then ignoring case), or null. It takes an instance of the type and returns null where the getter throws.
    /// Where two properties differ only in case, an exact-case match wins, else the first declared.
    /// </summary>
    public static Func<object, object?>? Find(Type type, string name) => GetTypeProperties(type).Find(name);

    /// <summary>The names of <paramref name="type"/>'s readable public instance properties, in declaration order (a property hidden by a derived one of the same name once).</summary>
    internal static IReadOnlyList<string> Names(Type type) => GetTypeProperties(type).Names;

    private static TypeProperties GetTypeProperties(Type type) => s_types.GetOrAdd(type, static t => new TypeProperties(t));

    private sealed class TypeProperties
    {
        private readonly Dictionary<string, Func<object, object?>> _exact = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Func<object, object?>> _ignoreCase = new(StringComparer.OrdinalIgnoreCase);

        public TypeProperties(Type type)
        {
            var names = new List<string>();
            foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
            {
                if (property.GetIndexParameters().Length != 0 || property.GetMethod is not { IsPublic: true }) continue;
                if (property.PropertyType.IsByRefLike || property.PropertyType.IsPointer) continue;
                if (_exact.ContainsKey(property.Name)) continue; // hidden by a derived property of the same name
                var getter = Compile(type, property);
                _exact.Add(property.Name, getter);
                _ignoreCase.TryAdd(property.Name, getter);
                names.Add(property.Name);
            }
            Names = names.ToArray();
        }

        public string[] Names { get; }

        public Func<object, object?>? Find(string name) =>
            _exact.TryGetValue(name, out var g) || _ignoreCase.TryGetValue(name, out g) ? g : null;

        // A getter that throws reads as null, as Select-Object shows it: Process.ExitCode of a running process
        // must not reject the record. Reflection first, compiled once the property has been read often enough
        // (CompileWhenHot): a type seen for a few objects costs no code generation. The catch is compiled into the
        // getter, so the fast path stays one delegate.
        private static Func<object, object?> Compile(Type type, PropertyInfo property) =>
            CompileWhenHot<object, object?>.Create(source => ReadOrNull(property, source), () => CompileNow(type, property));

        private static Func<object, object?> CompileNow(Type type, PropertyInfo property)
        {
            try
            {
                var o = Expression.Parameter(typeof(object), "o");
                var body = Expression.Convert(Expression.Property(Expression.Convert(o, type), property), typeof(object));
                var guarded = Expression.TryCatch(body, Expression.Catch(typeof(Exception), Expression.Constant(null, typeof(object))));
                return Expression.Lambda<Func<object, object?>>(guarded, o).Compile();
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NotSupportedException)
            {
                return source => ReadOrNull(property, source); // e.g. by-ref-like property types; reflection still reports them
            }
        }

        private static object? ReadOrNull(PropertyInfo property, object source)
        {
            try
            {
                return property.GetValue(source);
            }
            catch (Exception e) when (e is TargetInvocationException or TargetException)
            {
                return null; // as the compiled getter's catch-all: a throwing getter, or an object of another type
            }
        }
    }
}
