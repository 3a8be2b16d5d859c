using System.Reflection;
using System.Reflection.Emit;

namespace CapMap.Objects.Reading;

/// <summary>
/// Generates one class per record shape (struct name and property names), derived from <see cref="Row"/>, with a
/// public get/set property per name. Types are cached for the process, so reading the same schema again makes no
/// new type; a different property list under the same struct name gets a numbered type name.
/// </summary>
/// <remarks>
/// A shape given a type name (e.g. <c>Deserialized.System.IO.FileInfo</c> for a record of an inferred schema whose
/// objects were FileInfos) is generated under that name where reflection can carry it unescaped, so PowerShell lists
/// it first in the object's type names (and applies its format views) without a PSObject per record to carry it.
/// Two shapes of the same type name live in different dynamic assemblies.
/// </remarks>
public static class RowTypes
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, RowShape> Shapes = new(StringComparer.Ordinal);
    private static readonly List<(ModuleBuilder Module, HashSet<string> Names)> Modules = [];
    private static readonly ConstructorInfo RowConstructor = typeof(Row).GetConstructor(
        BindingFlags.Instance | BindingFlags.NonPublic, [typeof(RowShape), typeof(object?[])])!;
    private static readonly ConstructorInfo LazyRowConstructor = typeof(Row).GetConstructor(
        BindingFlags.Instance | BindingFlags.NonPublic, [typeof(RowShape), typeof(RowSource), typeof(int)])!;
    // What a generated property calls: Row.Get(slot) decodes only its own value of a lazy row, Row.Set(slot, value) sets it.
    private static readonly MethodInfo SlotGetter = typeof(Row).GetMethod("Get", BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly MethodInfo SlotSetter = typeof(Row).GetMethod("Set", BindingFlags.Instance | BindingFlags.NonPublic)!;

    /// <summary>
    /// The shape for a struct named <paramref name="structName"/> with these properties, its type named
    /// <paramref name="typeName"/> where possible (see <see cref="IsPlainTypeName"/>). Names that differ from an
    /// earlier one only by case are dropped (PowerShell objects keep the first), and so is an empty name; the caller
    /// learns which by <see cref="RowShape.PropertyNames"/> and <paramref name="kept"/>.
    /// </summary>
    public static RowShape Get(string structName, IReadOnlyList<string> propertyNames, string? typeName, out bool[] kept)
    {
        ArgumentNullException.ThrowIfNull(structName);
        ArgumentNullException.ThrowIfNull(propertyNames);
        kept = new bool[propertyNames.Count];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>(propertyNames.Count);
        for (int i = 0; i < propertyNames.Count; i++)
        {
            if (propertyNames[i].Length == 0 || propertyNames[i].Contains('\0') || !seen.Add(propertyNames[i])) continue;
            kept[i] = true;
            names.Add(propertyNames[i]);
        }
        string key = structName + "\0" + typeName + "\0" + string.Join("\0", names);
        lock (Gate)
        {
            if (Shapes.TryGetValue(key, out var shape)) return shape;
            var type = typeName is not null && IsPlainTypeName(typeName) && typeName.Length <= MaxNameLength ? EmitNamed(typeName, names) : Emit(UniqueTypeName(structName), names);
            shape = new RowShape(type, names.AsReadOnly(), typeName);
            var create = type.GetMethod("Create", BindingFlags.Static | BindingFlags.Public)!;
            shape.Create = create.CreateDelegate<Func<RowShape, object?[], Row>>();
            shape.CreateLazy = type.GetMethod("CreateLazy", BindingFlags.Static | BindingFlags.Public)!.CreateDelegate<Func<RowShape, RowSource, int, Row>>();
            Shapes[key] = shape;
            return shape;
        }
    }

    /// <summary>
    /// True if a generated type can carry this name exactly: reflection escapes '+', ',', '[' and the like in a
    /// type's full name (nested and generic types), and PowerShell would then show the escaped form.
    /// </summary>
    public static bool IsPlainTypeName(string typeName) =>
        typeName.Length > 0 && typeName.All(c => char.IsLetterOrDigit(c) || c is '.' or '_') && !typeName.StartsWith('.') && !typeName.EndsWith('.') && !typeName.Contains("..");

    /// <summary>
    /// Longest name a generated type is given. .NET refuses a type's full name of 1,024 characters or more, and an
    /// inferred struct is named after its path (RecordNextNext...), which -Depth 100 with long property names makes
    /// longer than that: such a struct's row type keeps the start of its name (and a number when that is taken).
    /// </summary>
    private const int MaxNameLength = 512;

    private static string UniqueTypeName(string structName)
    {
        var clean = new string(structName.Take(MaxNameLength).Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
        string name = "CapMap.Rows." + (clean.Length == 0 ? "Row" : clean);
        string candidate = name;
        for (int n = 2; Modules.Count > 0 && Modules[0].Names.Contains(candidate); n++) candidate = name + "_" + n;
        return candidate;
    }

    private static Type Emit(string typeName, List<string> names) => Emit(ModuleFree(0, typeName), typeName, names);

    private static Type EmitNamed(string typeName, List<string> names) => Emit(ModuleFree(1, typeName), typeName, names);

    /// <summary>The first module (from <paramref name="start"/>) that has no type of this name yet; a new one when none.</summary>
    private static ModuleBuilder ModuleFree(int start, string typeName)
    {
        while (Modules.Count <= start) AddModule();
        for (int i = start; ; i++)
        {
            if (i == Modules.Count) AddModule();
            if (Modules[i].Names.Add(typeName)) return Modules[i].Module;
        }
    }

    private static void AddModule()
    {
        string name = "CapMap.Rows" + (Modules.Count == 0 ? "" : "." + Modules.Count);
        var module = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(name), AssemblyBuilderAccess.Run).DefineDynamicModule(name);
        Modules.Add((module, new HashSet<string>(StringComparer.Ordinal)));
    }

    private static Type Emit(ModuleBuilder module, string typeName, List<string> names)
    {
        var type = module.DefineType(typeName, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(Row));

        // A row holding its values, and a lazy row whose values are decoded at the first read.
        DefineConstructorAndFactory(type, "Create", RowConstructor);
        DefineConstructorAndFactory(type, "CreateLazy", LazyRowConstructor);

        const MethodAttributes accessor = MethodAttributes.Public | MethodAttributes.SpecialName | MethodAttributes.HideBySig;
        for (int i = 0; i < names.Count; i++)
        {
            var property = type.DefineProperty(names[i], PropertyAttributes.None, typeof(object), null);
            var get = type.DefineMethod("get_" + names[i], accessor, typeof(object), Type.EmptyTypes);
            var il = get.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Call, SlotGetter);
            il.Emit(OpCodes.Ret);
            property.SetGetMethod(get);

            var set = type.DefineMethod("set_" + names[i], accessor, null, [typeof(object)]);
            il = set.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Call, SlotSetter);
            il.Emit(OpCodes.Ret);
            property.SetSetMethod(set);
        }
        return type.CreateType();
    }

    /// <summary>
    /// A private constructor that passes its arguments to <paramref name="baseConstructor"/>, and a public static
    /// factory named <paramref name="factoryName"/> that calls it: a delegate to the factory is the fastest way to
    /// construct without reflection per row.
    /// </summary>
    private static void DefineConstructorAndFactory(TypeBuilder type, string factoryName, ConstructorInfo baseConstructor)
    {
        var parameters = baseConstructor.GetParameters().Select(p => p.ParameterType).ToArray();
        var ctor = type.DefineConstructor(MethodAttributes.Private, CallingConventions.Standard, parameters);
        var il = ctor.GetILGenerator();
        for (short i = 0; i <= parameters.Length; i++) il.Emit(OpCodes.Ldarg, i); // this, then each argument
        il.Emit(OpCodes.Call, baseConstructor);
        il.Emit(OpCodes.Ret);

        var factory = type.DefineMethod(factoryName, MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, typeof(Row), parameters);
        il = factory.GetILGenerator();
        for (short i = 0; i < parameters.Length; i++) il.Emit(OpCodes.Ldarg, i);
        il.Emit(OpCodes.Newobj, ctor);
        il.Emit(OpCodes.Ret);
    }
}
