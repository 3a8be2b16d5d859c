using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>
/// Where the data of each segment of a restored checkpoint lies, so repair can cut the rest (the holes a sparse list
/// keeps, declared as padding) the way Complete does. A checkpoint declares every segment up to the start of the
/// next, so its table does not say where data ends; the walk of every pointer does (<see cref="SegmentReach"/>):
/// no reader visits a word of a segment outside the range some pointer reaches.
/// </summary>
internal static unsafe class RestoredSegments
{
    /// <summary>
    /// Per segment of <paramref name="record"/>: its start as the builder sees it, its first word of data and the end
    /// of its data, as file offsets. Segment 0 keeps its start (the header and the schema the message carries sit
    /// there, where no pointer reaches); a segment no pointer reaches keeps one word, since a table declares none empty;
    /// a word a patch of the record writes is data.
    /// </summary>
    /// <param name="view">The file as repair restored it (its private view), <paramref name="length"/> bytes.</param>
    /// <param name="length">Bytes of <paramref name="view"/>.</param>
    /// <param name="record">The checkpoint repair restored: its segment table and patches.</param>
    /// <param name="reach">The words each segment's pointers reach, from the walk that verified the message.</param>
    public static (long Start, long DataStart, long DataEnd)[] Measure(byte* view, long length, CheckpointRecord record, SegmentReach reach)
    {
        var declared = record.Segments;
        var result = new (long Start, long DataStart, long DataEnd)[declared.Count];
        for (int i = 0; i < declared.Count; i++)
        {
            long declaredStart = declared[i].FileOffset, declaredEnd = declaredStart + (long)declared[i].Words * 8;
            long start = i == 0 ? MappedFileLayout.BuilderRootSlot(record.MessageOffset) : declaredStart;
            long dataStart = start, dataEnd = start + 8;
            if (reach.WasReached(i))
            {
                if (i > 0) dataStart = declaredStart + reach.LowWord(i) * 8;
                dataEnd = Math.Max(dataEnd, declaredStart + reach.EndWord(i) * 8);
            }
            if (i == 0 && EmbeddedSchema.TryRead(view, length, record.MessageOffset) is { } schema)
                dataEnd = Math.Max(dataEnd, MappedFileLayout.DataStart(record.MessageOffset) + (long)schema.Words * 8);
            foreach (var patch in record.Patches)
            {
                if (patch.FileOffset < start || patch.FileOffset >= declaredEnd) continue;
                dataStart = Math.Min(dataStart, patch.FileOffset);
                dataEnd = Math.Max(dataEnd, patch.FileOffset + 8);
            }
            result[i] = (start, dataStart, Math.Min(dataEnd, declaredEnd));
        }
        return result;
    }
}
