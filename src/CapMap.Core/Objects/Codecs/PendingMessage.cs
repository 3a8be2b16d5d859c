using CapMap.Objects;
using CapMap.Schema.Inference;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// A message created without a schema, before its first records: the root's name, the records held back for the
/// sample, and how the file is created once the schema is inferred from them.
/// </summary>
internal sealed record PendingInference(string RootType, SampleBuffer Sample, Func<InferredSchema, (ObjectMessageWriter Writer, CapnpSchema Schema)> Create);
