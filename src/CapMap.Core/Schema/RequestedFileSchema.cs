namespace CapMap.Schema;

/// <summary>A file the compiler was asked to generate code for (<c>CodeGeneratorRequest.RequestedFile</c>).</summary>
public sealed class RequestedFileSchema
{
    internal RequestedFileSchema(ulong id, string fileName, IReadOnlyList<FileImport> imports)
    {
        Id = id;
        FileName = fileName;
        Imports = imports;
    }

    /// <summary>The file's id (its <c>@0x…</c> line).</summary>
    public ulong Id { get; }

    /// <summary>The file name as given to <c>capnp compile</c>.</summary>
    public string FileName { get; }

    /// <summary>The files it imports, as named in its import statements.</summary>
    public IReadOnlyList<FileImport> Imports { get; }

    /// <summary>The file's node, or null if the request did not include it.</summary>
    public FileSchema? File { get; private set; }

    internal void Bind(SchemaSet set) => File = set.TryGetById(Id) as FileSchema;

    /// <inheritdoc />
    public override string ToString() => FileName;
}
