namespace CapMap.Objects.Codecs;

/// <summary>
/// One record a <see cref="RecordFeed"/> did not write: its index among the feed's records (in input order, the
/// held sample first), the input as given, where it was to go, and why (<see cref="NotARecordException"/>,
/// <see cref="CapnpValueException"/>, <see cref="Schema.Inference.InferredValueException"/>, or a conversion
/// error of the object model). Earlier and later records are not affected.
/// </summary>
public sealed record RecordRejection(long Index, object? Input, FieldPath Target, Exception Error);
