namespace CapMap.Schema;

/// <summary>An import of a requested file (<c>CodeGeneratorRequest.RequestedFile.Import</c>).</summary>
public readonly record struct FileImport(ulong Id, string Name);
