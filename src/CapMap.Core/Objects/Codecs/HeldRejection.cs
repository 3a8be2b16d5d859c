namespace CapMap.Objects.Codecs;

/// <summary>
/// A record the sample walk refused (<see cref="Schema.Inference.RecordTooLargeException"/>), held in its place among
/// the sample's records so that, when the held records are written, it is rejected with its own index and the others
/// keep theirs.
/// </summary>
internal sealed record HeldRejection(object? Input, Exception Error);
