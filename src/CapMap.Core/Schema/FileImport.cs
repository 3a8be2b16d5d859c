namespace CapMap.Schema;

/// <summary>An import of a requested file (<c>CodeGeneratorRequest.RequestedFile.Import</c>).</summary>
/// <remarks>A class, not a struct, for the reason <see cref="CapMap.Messages.WordPatch"/> gives.</remarks>
public sealed record FileImport(ulong Id, string Name);
