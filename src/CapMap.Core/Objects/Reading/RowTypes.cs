using System.Reflection;
using System.Reflection.Emit;

namespace CapMap.Objects.Reading;

/// <summary>
/// Generates one class per record shape (struct name and property names), derived from <see cref="Row"/>, with a
/// public get/set property per name. Types are cached for the process, so reading the same schema again makes no
/// new type; a different property list under the same struct name gets a numbered type name.
/// </summary>
public static class RowTypes
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, RowShape> Shapes = new(StringComparer.Ordinal);
    private static readonly HashSet<string> TypeNames = new(StringComparer.Ordinal);
    private static readonly ModuleBuilder Module = AssemblyBuilder
        .DefineDynamicAssembly(new AssemblyName("CapMap.Rows"), AssemblyBuilderAccess.Run)
        .DefineDynamicModule("CapMap.Rows");
    private static readonly ConstructorInfo RowConstructor = typeof(Row).GetConstructor(
        BindingFlags.Instance | BindingFlags.NonPublic, [typeof(RowShape), typeof(object?[])])!;
    private static readonly MethodInfo ValuesGetter = typeof(Row).GetProperty("Values", BindingFlags.Instance | BindingFlags.NonPublic)!.GetMethod!;

    /// <summary>
    /// The shape for a struct named <paramref name="structName"/> with these properties. Names that differ from an
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
            var type = Emit(UniqueTypeName(structName), names);
            shape = new RowShape(type, names.AsReadOnly(), typeName);
            var create = type.GetMethod("Create", BindingFlags.Static | BindingFlags.Public)!;
            shape.Create = create.CreateDelegate<Func<RowShape, object?[], Row>>();
            Shapes[key] = shape;
            return shape;
        }
    }

    private static string UniqueTypeName(string structName)
    {
        var clean = new string(structName.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
        string name = "CapMap.Rows." + (clean.Length == 0 ? "Row" : clean);
        string candidate = name;
        for (int n = 2; !TypeNames.Add(candidate); n++) candidate = name + "_" + n;
        return candidate;
    }

    private static Type Emit(string typeName, List<string> names)
    {
        var type = Module.DefineType(typeName, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(Row));

        var ctor = type.DefineConstructor(MethodAttributes.Private, CallingConventions.Standard, [typeof(RowShape), typeof(object?[])]);
        var il = ctor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldarg_2);
        il.Emit(OpCodes.Call, RowConstructor);
        il.Emit(OpCodes.Ret);

        // A static factory: a delegate to it is the fastest way to construct without reflection per row.
        var create = type.DefineMethod("Create", MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
            typeof(Row), [typeof(RowShape), typeof(object?[])]);
        il = create.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Newobj, ctor);
        il.Emit(OpCodes.Ret);

        const MethodAttributes accessor = MethodAttributes.Public | MethodAttributes.SpecialName | MethodAttributes.HideBySig;
        for (int i = 0; i < names.Count; i++)
        {
            var property = type.DefineProperty(names[i], PropertyAttributes.None, typeof(object), null);
            var get = type.DefineMethod("get_" + names[i], accessor, typeof(object), Type.EmptyTypes);
            il = get.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Call, ValuesGetter);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelem_Ref);
            il.Emit(OpCodes.Ret);
            property.SetGetMethod(get);

            var set = type.DefineMethod("set_" + names[i], accessor, null, [typeof(object)]);
            il = set.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Call, ValuesGetter);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Stelem_Ref);
            il.Emit(OpCodes.Ret);
            property.SetSetMethod(set);
        }
        return type.CreateType();
    }
}
