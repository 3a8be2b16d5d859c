using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Metadata;

namespace CapMap.Schema.Inference;

/// <summary>
/// Finds the enum type a <c>clrType</c> annotation names (<c>Enum:Namespace.Type, Assembly</c>) among the assemblies
/// the process has already loaded, and nowhere else: the name comes from a data file, and reading data must never
/// load code. (<c>Type.GetType</c> with an assembly-qualified name would load that assembly from the probing paths,
/// running its module initializers.) An enum whose assembly is not loaded reads back as its name, a string.
/// </summary>
/// <remarks>
/// Each name is looked up once: a hit is kept, and so is a miss, so a file that names a type nobody loaded costs one
/// scan of the loaded assemblies per name, not one per value. A miss is forgotten when an assembly loads (a module
/// imported later may bring the type), which costs nothing per value.
/// </remarks>
internal static class LoadedEnumTypes
{
    private static readonly ConcurrentDictionary<string, Type?> Known = new(StringComparer.Ordinal);
    private static long _lookups;

    static LoadedEnumTypes() => AppDomain.CurrentDomain.AssemblyLoad += (_, _) => ForgetMisses();

    /// <summary>Scans of the loaded assemblies done so far (one per name, and again after an assembly loads, for a miss).</summary>
    internal static long Lookups => Interlocked.Read(ref _lookups);

    /// <summary>The loaded enum type <paramref name="name"/> names, or null if no loaded assembly has it.</summary>
    public static Type? Find(string? name) => name is null ? null : Known.GetOrAdd(name, Scan);

    private static Type? Scan(string name)
    {
        Interlocked.Increment(ref _lookups);
        int comma = name.IndexOf(',');
        string typeName = (comma < 0 ? name : name[..comma]).Trim();
        string? assemblyName = comma < 0 ? null : name[(comma + 1)..].Split(',')[0].Trim();
        Type? inAnyAssembly = null;
        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (DefinedIn(assembly, typeName) is not { IsEnum: true } type) continue;
            if (assemblyName is null || assembly.GetName().Name == assemblyName) return type;
            // The type moved between assemblies (type forwarding: written on one runtime, read on another).
            inAnyAssembly ??= type;
        }
        return inAnyAssembly;
    }

    // Assembly.GetType and Module.GetType also follow the assembly's type forwarders, which load the assembly forwarded
    // to (a facade such as netstandard forwards to dozens the process never loaded). So the type is first looked for in
    // the assembly's own metadata, which is already in memory: only a type it defines is then asked for by name.
    private static unsafe Type? DefinedIn(Assembly assembly, string fullName)
    {
        // A dynamic assembly (a PowerShell class or enum) has no forwarders, and no raw metadata to read.
        if (assembly.IsDynamic) return assembly.GetType(fullName, throwOnError: false);
        if (!assembly.TryGetRawMetadata(out byte* blob, out int length)) return null;
        var metadata = new MetadataReader(blob, length);
        foreach (var handle in metadata.TypeDefinitions)
            if (FullNameIs(metadata, metadata.GetTypeDefinition(handle), fullName.AsSpan()))
                return assembly.GetType(fullName, throwOnError: false);
        return null;
    }

    // Reflection's full name: Namespace.Outer+Inner; compared from the innermost name outwards, without building strings.
    private static bool FullNameIs(MetadataReader metadata, TypeDefinition type, ReadOnlySpan<char> fullName)
    {
        while (true)
        {
            string name = metadata.GetString(type.Name);
            if (!fullName.EndsWith(name, StringComparison.Ordinal)) return false;
            fullName = fullName[..^name.Length];
            var declaring = type.GetDeclaringType();
            if (declaring.IsNil)
            {
                string ns = metadata.GetString(type.Namespace);
                return ns.Length == 0 ? fullName.IsEmpty : fullName.Length == ns.Length + 1 && fullName[^1] == '.' && fullName[..^1].SequenceEqual(ns);
            }
            if (fullName.IsEmpty || fullName[^1] != '+') return false;
            fullName = fullName[..^1];
            type = metadata.GetTypeDefinition(declaring);
        }
    }

    private static void ForgetMisses()
    {
        foreach (var entry in Known)
            if (entry.Value is null) Known.TryRemove(entry);
    }
}
