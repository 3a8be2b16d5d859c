using System.Management.Automation;
using CapMap.Messages;
using CapMap.Schema;

namespace CapMap.PowerShell;

/// <summary>
/// A loaded Cap'n Proto schema as Import-CapnpSchema returns it: the <see cref="Schema.SchemaSet"/> plus what a
/// PowerShell user needs to pick a root type (the struct names and the likely roots). It wraps Core's
/// <see cref="ResolvedSchema"/>, which the message files and records written with it share.
/// </summary>
public sealed class CapnpSchema
{
    internal CapnpSchema(ResolvedSchema resolved, string sourcePath, CapnpSchemaSource source, IReadOnlyList<string> importPaths)
    {
        Resolved = resolved;
        var set = resolved.SchemaSet;
        SourcePath = sourcePath;
        Source = source;
        ImportPaths = importPaths.ToArray();

        var requested = new HashSet<string>(set.RequestedFiles.Select(f => f.FileName), StringComparer.Ordinal);
        var own = set.Structs.Where(s => requested.Contains(s.FileName) && !s.IsGeneric).ToList();
        if (own.Count == 0) own = set.Structs.Where(s => !s.IsGeneric).ToList();
        Structs = own.Select(s => s.NestedName).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();
        Enums = set.Enums.Where(e => requested.Contains(e.FileName)).Select(e => e.NestedName)
            .OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();

        // A root is a struct nothing else refers to: the message's top, not one of its parts.
        var referenced = new HashSet<ulong>();
        foreach (var s in set.Nodes.OfType<StructSchema>())
            foreach (var f in s.FieldsInSchemaOrder)
                if (!f.IsGroup) CollectStructIds(f.Type, referenced);
        var roots = own.Where(s => !referenced.Contains(s.Id)).Select(s => s.NestedName).ToArray();
        RootCandidates = roots.Length > 0 ? roots : Structs;
    }

    /// <summary>A schema a user wrote, loaded from <paramref name="request"/> (a .capnp file compiled, or a precompiled one).</summary>
    internal static CapnpSchema FromRequest(byte[] request, string sourcePath, CapnpSchemaSource source, IReadOnlyList<string> importPaths) =>
        new(ResolvedSchema.FromRequest(SchemaSet.Load(request), request), sourcePath, source, importPaths);

    /// <summary>A schema CapMap inferred (it knows the original names and .NET types of its records), resolved once by Core.</summary>
    internal static CapnpSchema FromInferred(ResolvedSchema schema, string sourcePath) =>
        new(schema, sourcePath, CapnpSchemaSource.Inferred, []) { RootType = schema.Inferred!.Root.Identifier };

    /// <summary>The schema a message file carries.</summary>
    internal static CapnpSchema FromCarried(CarriedSchema carried, string filePath) =>
        new(carried.Resolved, filePath, CapnpSchemaSource.Embedded, []) { RootType = carried.Root.NestedName };

    /// <summary>The schema as Core resolved it: the set, the request bytes, and an inferred schema's model.</summary>
    internal ResolvedSchema Resolved { get; }

    /// <summary>The root struct a message file or an inference named (null for a schema file, whose root the user picks).</summary>
    public string? RootType { get; private init; }

    /// <summary>True if CapMap inferred the schema from objects (records come back with their original names and .NET types).</summary>
    public bool IsInferred => Resolved.Inferred is not null;

    /// <summary>The file name the schema was loaded from.</summary>
    public string FileName => System.IO.Path.GetFileName(SourcePath);

    /// <summary>The full path of the file the schema was loaded from.</summary>
    public string SourcePath { get; }

    public CapnpSchemaSource Source { get; }

    /// <summary>Import directories passed to <c>capnp compile</c> (-I).</summary>
    public string[] ImportPaths { get; }

    /// <summary>The files the request was compiled from (as named inside it).</summary>
    public string[] RequestedFiles => SchemaSet.RequestedFiles.Select(f => f.FileName).ToArray();

    /// <summary>Structs of the schema's own files that no other struct refers to: the likely -RootType values.</summary>
    public string[] RootCandidates { get; }

    /// <summary>All structs of the schema's own files (nested names such as <c>Outer.Inner</c>).</summary>
    public string[] Structs { get; }

    /// <summary>All enums of the schema's own files.</summary>
    public string[] Enums { get; }

    /// <summary>Version of the compiler that produced the request, if it said.</summary>
    public Version? CapnpVersion => SchemaSet.CapnpVersion;

    /// <summary>The underlying schema model.</summary>
    public SchemaSet SchemaSet => Resolved.SchemaSet;

    /// <summary>The CodeGeneratorRequest bytes (what Import-CapnpSchema -SavePrecompiled writes).</summary>
    public byte[] GetRequestBytes() => Resolved.GetRequestBytes();

    /// <summary>
    /// Finds a struct to use as a root type: by nested name (<c>Batch</c>, <c>Outer.Inner</c>), short name or
    /// display name, case-insensitively. Throws <see cref="CapMapErrorException"/> (RootTypeNotFound,
    /// RootTypeAmbiguous) otherwise.
    /// </summary>
    public StructSchema GetStruct(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new CapMapErrorException(ErrorIds.RootTypeNotFound, ErrorCategory.InvalidArgument,
                "A root type name is required.", name);
        try
        {
            if (SchemaSet.TryFind(name, out var node) && node is StructSchema { IsGroup: false } s)
                return s;
        }
        catch (AmbiguousSchemaNameException e)
        {
            throw new CapMapErrorException(ErrorIds.RootTypeAmbiguous, ErrorCategory.InvalidArgument,
                e.Message, name, e);
        }
        throw new CapMapErrorException(ErrorIds.RootTypeNotFound, ErrorCategory.ObjectNotFound,
            $"The schema '{FileName}' has no struct named '{name}'. Structs: {string.Join(", ", Structs)}.", name);
    }

    public override string ToString() => FileName;

    private static void CollectStructIds(TypeSchema type, HashSet<ulong> ids)
    {
        if (type.Kind == TypeKind.Struct) ids.Add(type.TypeId);
        else if (type.Kind == TypeKind.List && type.ElementType is { } element) CollectStructIds(element, ids);
    }
}
