using CapMap.Mapping;

namespace CapMap.Messages;

/// <summary>
/// Copies a block of a mapped message file to another place in the same file so that a <c>kill -9</c> or a
/// power cut at any instant leaves a file repair can restore: the copy is announced in a checkpoint record first
/// (<see cref="PendingMove"/>), runs in chunks, and counts finished chunks in a progress word of the header
/// page. Repair reads the count and finishes the copy (<see cref="Resume"/>) before it restores the layout.
/// </summary>
/// <remarks>
/// Invariant that makes resuming safe: while chunk k is being copied, the source bytes of chunks k, k+1, …
/// are intact. Chunks are taken from the end the block moves towards (top-down when moving up, bottom-up
/// when moving down) and are at most as large as the shift, so chunk k's destination can only overlap the
/// source of chunks already finished. Redoing chunk k after a kill therefore copies the same bytes again.
/// The progress word is written after its chunk, as one aligned 8-byte store: a kill leaves it either at
/// k (chunk k to redo) or at k + 1, never torn. For a power cut, the page cache is not enough: the writer
/// flushes chunk k's destination before the count that says it is done, and that count before chunk k + 1
/// (which may overwrite chunk k's source) begins, so the count on disk never runs ahead of the data on disk.
/// </remarks>
internal static unsafe class JournaledMove
{
    /// <summary>Largest chunk: bounds the bytes a resume may copy twice.</summary>
    private const long MaxChunkBytes = 64L << 20;

    public static long ChunkBytes(PendingMove move) => Math.Min(Math.Abs(move.Shift), MaxChunkBytes);

    public static long ChunkCount(PendingMove move) => (move.Length + ChunkBytes(move) - 1) / ChunkBytes(move);

    /// <summary>Chunks already finished, as the progress word of the message at <paramref name="messageOffset"/> says.</summary>
    public static long ReadProgress(byte* fileBase, long messageOffset) => Volatile.Read(ref *ProgressWord(fileBase, messageOffset));

    /// <summary>Must precede publishing the record that announces a copy: a stale count must never meet a new copy.</summary>
    public static void ResetProgress(byte* fileBase, long messageOffset) => Volatile.Write(ref *ProgressWord(fileBase, messageOffset), 0);

    /// <summary>File offset of the progress word of the message at <paramref name="messageOffset"/>.</summary>
    public static long ProgressOffset(long messageOffset) => messageOffset + MappedFileLayout.MoveProgressOffset;

    private static long* ProgressWord(byte* fileBase, long messageOffset) => (long*)(fileBase + ProgressOffset(messageOffset));

    /// <summary>Copies every chunk of <paramref name="move"/> in <paramref name="file"/>, durably; stops early when <paramref name="stop"/> says so.</summary>
    public static void Run(MappedFile file, long messageOffset, PendingMove move, Func<bool>? stop = null) => Resume(file, messageOffset, move, 0, stop);

    /// <summary>Copies the chunks from <paramref name="firstChunk"/> on in <paramref name="file"/> (repair passes the progress word), each made durable before it is counted.</summary>
    public static void Resume(MappedFile file, long messageOffset, PendingMove move, long firstChunk, Func<bool>? stop = null) =>
        Copy(file.Base, messageOffset, move, firstChunk, file, stop);

    /// <summary>
    /// Does the same copy in a private copy-on-write view of the file (repair's rehearsal): the bytes and the count
    /// end as <see cref="Resume"/> would leave them, but nothing reaches the file, so nothing is flushed or announced.
    /// </summary>
    public static void Rehearse(byte* viewBase, long messageOffset, PendingMove move, long firstChunk) =>
        Copy(viewBase, messageOffset, move, firstChunk, file: null, stop: null);

    private static void Copy(byte* fileBase, long messageOffset, PendingMove move, long firstChunk, MappedFile? file, Func<bool>? stop)
    {
        if (move.Kind != PendingMoveKind.Copy) throw new ArgumentException("Only a copy is journaled chunk by chunk.", nameof(move));
        long chunk = ChunkBytes(move), count = ChunkCount(move);
        bool up = move.Shift > 0;
        for (long k = firstChunk; k < count; k++)
        {
            // Chunk k, counted from the end the block moves towards.
            long start = up ? Math.Max(move.Length - (k + 1) * chunk, 0) : k * chunk;
            long end = up ? move.Length - k * chunk : Math.Min((k + 1) * chunk, move.Length);
            long bytes = end - start;
            Buffer.MemoryCopy(fileBase + move.Offset + start, fileBase + move.Other + start, bytes, bytes);
            // A chunk that may have landed in a throwaway page is not counted: repair redoes it.
            if (stop?.Invoke() == true) return;
            // The chunk is on disk before the count says so, and the count before the next chunk may overwrite this one's source.
            file?.FlushData(move.Other + start, bytes);
            Volatile.Write(ref *ProgressWord(fileBase, messageOffset), k + 1);
            if (file is null) continue;
            file.FlushData(ProgressOffset(messageOffset), 8);
            if (CrashPoints.IsListening) CrashPoints.Reach("copy chunk " + k);
        }
    }
}
