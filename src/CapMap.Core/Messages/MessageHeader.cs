using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>
/// Writes the parts of the header page that make the file a readable message: the segment table and
/// the word patches (the relocated root pointer, committed list counts). Checkpoint, finish and
/// repair all go through here, so the three cannot drift apart.
/// </summary>
internal static unsafe class MessageHeader
{
    /// <summary>Writes the record's segment table (at its message's offset) and its word patches.</summary>
    public static void Write(byte* fileBase, CheckpointRecord record)
    {
        var segments = record.Segments;
        Span<int> words = stackalloc int[segments.Count];
        for (int i = 0; i < segments.Count; i++) words[i] = segments[i].Words;
        Framing.WriteTable(new Span<byte>(fileBase + record.MessageOffset, Framing.GetTableSize(segments.Count)), words);
        foreach (var patch in record.Patches) *(ulong*)(fileBase + patch.FileOffset) = patch.Value;
    }

    /// <summary>Writes the record into its slot of its message's header page.</summary>
    public static void WriteRecord(byte* fileBase, CheckpointRecord record) =>
        record.WriteTo(new Span<byte>(fileBase + record.MessageOffset + CheckpointRecord.SlotOffset(record.Sequence), MappedFileLayout.CheckpointSlotBytes));

    /// <summary>
    /// The root pointer as it must read from the first word of the declared segment 0 (file offset
    /// <paramref name="declaredRootSlot"/>, right after the table), for the struct the builder's root slot
    /// (file offset <paramref name="builderRootSlot"/>) points at.
    /// </summary>
    public static ulong RelocateRoot(ulong builderRootPointer, long builderRootSlot, long declaredRootSlot)
    {
        if (builderRootPointer == 0 || WirePointer.Kind(builderRootPointer) == WirePointer.KindFar) return builderRootPointer;
        long targetOffset = builderRootSlot + 8 + (long)WirePointer.Offset(builderRootPointer) * 8;
        return WirePointer.WithOffset(builderRootPointer, (int)((targetOffset - (declaredRootSlot + 8)) / 8));
    }

    /// <summary>
    /// Checks that a record describes a well-formed layout: segment 0 right after its table, each segment
    /// right after the previous one, patches inside the message. Repair refuses anything else.
    /// </summary>
    public static string? Validate(CheckpointRecord record, long fileLength)
    {
        if (record.Segments.Count == 0) return "it declares no segments";
        long expected = record.MessageOffset + Framing.GetTableSize(record.Segments.Count);
        foreach (var segment in record.Segments)
        {
            if (segment.FileOffset != expected) return $"a segment starts at {segment.FileOffset}, expected {expected}";
            if (segment.Words < 1 || segment.Words > WireLimits.MaxSegmentWords) return $"a segment declares {segment.Words} words";
            expected += (long)segment.Words * 8;
        }
        if (expected != record.EndOffset) return $"its segments end at {expected}, not at {record.EndOffset}";
        if (record.EndOffset > fileLength) return $"the file is {fileLength} bytes, shorter than the {record.EndOffset} the checkpoint covered (truncated by someone else?)";
        foreach (var patch in record.Patches)
            if (patch.FileOffset < record.MessageOffset || patch.FileOffset + 8 > record.EndOffset || patch.FileOffset % 8 != 0)
                return $"a patch at {patch.FileOffset} lies outside the message";
        return null;
    }
}
