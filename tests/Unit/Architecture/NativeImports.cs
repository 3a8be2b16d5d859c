using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace CapMap.Tests.Architecture;

/// <summary>The P/Invoke declarations of an assembly (methods whose body is a native import), read from its metadata.</summary>
internal static class NativeImports
{
    /// <summary>Each declaring type (its outermost type's namespace and name) with the native methods it declares and their library.</summary>
    public static IReadOnlyList<(TypeKey Type, string Method, string Library)> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var result = new List<(TypeKey, string, string)>();
        foreach (var handle in metadata.MethodDefinitions)
        {
            var method = metadata.GetMethodDefinition(handle);
            if ((method.Attributes & MethodAttributes.PinvokeImpl) == 0) continue;
            var import = method.GetImport();
            string library = metadata.GetString(metadata.GetModuleReference(import.Module).Name);
            var type = metadata.GetTypeDefinition(method.GetDeclaringType());
            while (type.IsNested) type = metadata.GetTypeDefinition(type.GetDeclaringType());
            result.Add((new TypeKey(metadata.GetString(type.Namespace), metadata.GetString(type.Name)), metadata.GetString(method.Name), library));
        }
        return result;
    }
}
