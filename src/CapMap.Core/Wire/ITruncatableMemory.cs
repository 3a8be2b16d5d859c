namespace CapMap.Wire;

/// <summary>
/// Memory a <see cref="MessageReader"/> reads in place that may stop being the message while it is read: a file
/// mapping, which another process may cut (the reader then sees zeros, not the file). The reader asks it after
/// each pointer it follows whether that happened, so a bad read is reported as the cut rather than as bad bytes.
/// The wire layer only knows this contract; the file mappings that keep it live in IO, above Wire.
/// </summary>
internal interface ITruncatableMemory : IDisposable
{
    /// <summary>Throws if a read since the open touched memory that is gone. Cheap: called for every pointer followed.</summary>
    /// <param name="cause">The exception the read raised, if any, kept as the inner exception.</param>
    void ThrowIfTruncated(Exception? cause = null);

    /// <summary><see cref="ThrowIfTruncated"/>, and also throws if the backing file is now shorter than when it was opened.</summary>
    void ThrowIfShrunk(Exception? cause = null);

    /// <summary>
    /// Runs <paramref name="read"/> and returns its result only if the memory stayed whole meanwhile; a
    /// <see cref="CapnpFormatException"/> raised while it was being cut is reported as the cut.
    /// </summary>
    T ReadConsistent<T>(Func<T> read);
}
