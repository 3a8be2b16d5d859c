namespace CapMap.Mapping;

/// <summary>How a <see cref="MappedFile"/> grows its file.</summary>
public enum GrowthMode
{
    /// <summary>
    /// Writes past the end of the file raise SIGBUS; the native handler extends the file by one growth step
    /// (fallocate) and prefaults the new step, then the write is retried. No call from the writer needed.
    /// Steps start at a few pages and double up to <see cref="MappedFileOptions.ChunkBytes"/>, so a small file
    /// allocates and touches a few pages and a large one still grows in large steps.
    /// </summary>
    Fault = 0,

    /// <summary>
    /// The writer calls <see cref="MappedFile.EnsureCommitted"/> before writing; the file is extended
    /// (and optionally prefaulted) up front, in the same doubling steps, so a full disk surfaces as an
    /// exception at that call.
    /// A write past the committed size is still caught by the fault handler.
    /// </summary>
    Eager = 1,
}
