namespace CapMap.Objects.Codecs;

/// <summary>
/// A message of the file that carries another schema than the one before it, because the records' shape changed:
/// the record at <see cref="RecordIndex"/> (among its feed's records) did not fit the schema inferred so far, for
/// <see cref="Reason"/>, and it and the records after it went on in a next message under the widened schema; or,
/// with <see cref="RecordIndex"/> null, an append whose objects' inferred schema differs from the schema of the
/// file's last message, written in a new message under its own. Nothing is lost either way: it is said so that a
/// caller can tell the user (the cmdlets write it as verbose output).
/// </summary>
public sealed record SchemaChange(long? RecordIndex, string Reason);
