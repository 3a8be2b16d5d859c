namespace CapMap.Mapping;

/// <summary>How a <see cref="MappedFile"/> grows its file.</summary>
public enum GrowthMode
{
    /// <summary>
    /// Writes past the end of the file raise SIGBUS; the native handler extends the file by one chunk
    /// (fallocate) and prefaults the new chunk, then the write is retried. No call from the writer needed.
    /// </summary>
    Fault = 0,

    /// <summary>
    /// The writer calls <see cref="MappedFile.EnsureCommitted"/> before writing; the file is extended
    /// (and optionally prefaulted) up front, so a full disk surfaces as an exception at that call.
    /// A write past the committed size is still caught by the fault handler.
    /// </summary>
    Eager = 1,
}
