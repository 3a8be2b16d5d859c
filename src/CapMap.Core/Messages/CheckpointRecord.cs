using System.Buffers.Binary;

namespace CapMap.Messages;

/// <summary>What a checkpoint record says about the file.</summary>
public enum MessageFileState
{
    /// <summary>No valid CapMap record: a file some other writer made, or one killed before its first checkpoint.</summary>
    Unknown = 0,

    /// <summary>A checkpoint was written while building; the file may hold more after it.</summary>
    Checkpoint = 1,

    /// <summary>The message was finished: table written, file cut to size.</summary>
    Complete = 2,
}

/// <summary>A declared segment: where it starts in the file and how many words the table gives it.</summary>
public readonly record struct DeclaredSegment(long FileOffset, int Words);

/// <summary>A word to write back when restoring a checkpoint (the root pointer, a list's committed count).</summary>
public readonly record struct WordPatch(long FileOffset, ulong Value);

/// <summary>
/// A checkpoint record: enough to rewrite the header of the message exactly as it was at a checkpoint.
/// Two slots in the header page are written alternately with a rising sequence number and a checksum,
/// so a write torn by <c>kill -9</c> leaves the previous record intact. Records live in padding words of
/// segment 0 that no pointer reaches, so readers that do not know CapMap never see them.
/// </summary>
public sealed record CheckpointRecord(
    MessageFileState State,
    long Sequence,
    long MessageBytes,
    long RecordCount,
    IReadOnlyList<DeclaredSegment> Segments,
    IReadOnlyList<WordPatch> Patches)
{
    private const ulong Magic = 0x4B43_5041_4D50_4143; // "CAPMAPCK" little-endian
    private const int Version = 1;
    private const int FixedBytes = 48;
    private const int SegmentBytes = 12;
    private const int PatchBytes = 16;

    /// <summary>Word patches one record can hold (root pointer plus two per streaming list).</summary>
    public static int MaxPatches => (MappedFileLayout.CheckpointSlotBytes - FixedBytes - 8 - MappedFileLayout.MaxSegments * SegmentBytes) / PatchBytes;

    /// <summary>Serializes into a slot (throws if it does not fit, which the builder prevents by limiting segments and lists).</summary>
    public void WriteTo(Span<byte> slot)
    {
        int size = FixedBytes + Segments.Count * SegmentBytes + Patches.Count * PatchBytes + 8;
        if (size > slot.Length || Segments.Count > MappedFileLayout.MaxSegments || Patches.Count > MaxPatches)
            throw new InvalidOperationException("The checkpoint record does not fit its slot.");
        var record = slot[..size];
        BinaryPrimitives.WriteUInt64LittleEndian(record, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(record[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(record[12..], (int)State);
        BinaryPrimitives.WriteInt64LittleEndian(record[16..], Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(record[24..], MessageBytes);
        BinaryPrimitives.WriteInt64LittleEndian(record[32..], RecordCount);
        BinaryPrimitives.WriteInt32LittleEndian(record[40..], Segments.Count);
        BinaryPrimitives.WriteInt32LittleEndian(record[44..], Patches.Count);
        int at = FixedBytes;
        foreach (var segment in Segments)
        {
            BinaryPrimitives.WriteInt64LittleEndian(record[at..], segment.FileOffset);
            BinaryPrimitives.WriteInt32LittleEndian(record[(at + 8)..], segment.Words);
            at += SegmentBytes;
        }
        foreach (var patch in Patches)
        {
            BinaryPrimitives.WriteInt64LittleEndian(record[at..], patch.FileOffset);
            BinaryPrimitives.WriteUInt64LittleEndian(record[(at + 8)..], patch.Value);
            at += PatchBytes;
        }
        BinaryPrimitives.WriteUInt64LittleEndian(record[at..], Checksum(record[..at]));
    }

    /// <summary>Parses a slot; null when it holds no intact record.</summary>
    public static CheckpointRecord? TryRead(ReadOnlySpan<byte> slot)
    {
        if (slot.Length < FixedBytes + 8 || BinaryPrimitives.ReadUInt64LittleEndian(slot) != Magic) return null;
        if (BinaryPrimitives.ReadInt32LittleEndian(slot[8..]) != Version) return null;
        int segmentCount = BinaryPrimitives.ReadInt32LittleEndian(slot[40..]);
        int patchCount = BinaryPrimitives.ReadInt32LittleEndian(slot[44..]);
        if ((uint)segmentCount > MappedFileLayout.MaxSegments || (uint)patchCount > (uint)MaxPatches) return null;
        int at = FixedBytes + segmentCount * SegmentBytes + patchCount * PatchBytes;
        if (at + 8 > slot.Length) return null;
        if (BinaryPrimitives.ReadUInt64LittleEndian(slot[at..]) != Checksum(slot[..at])) return null;

        var state = (MessageFileState)BinaryPrimitives.ReadInt32LittleEndian(slot[12..]);
        if (state is not (MessageFileState.Checkpoint or MessageFileState.Complete)) return null;
        var segments = new DeclaredSegment[segmentCount];
        var patches = new WordPatch[patchCount];
        int p = FixedBytes;
        for (int i = 0; i < segmentCount; i++, p += SegmentBytes)
            segments[i] = new DeclaredSegment(BinaryPrimitives.ReadInt64LittleEndian(slot[p..]), BinaryPrimitives.ReadInt32LittleEndian(slot[(p + 8)..]));
        for (int i = 0; i < patchCount; i++, p += PatchBytes)
            patches[i] = new WordPatch(BinaryPrimitives.ReadInt64LittleEndian(slot[p..]), BinaryPrimitives.ReadUInt64LittleEndian(slot[(p + 8)..]));
        return new CheckpointRecord(state,
            BinaryPrimitives.ReadInt64LittleEndian(slot[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(slot[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(slot[32..]),
            segments, patches);
    }

    /// <summary>The newer intact record of the two slots in a header page.</summary>
    public static CheckpointRecord? ReadLatest(ReadOnlySpan<byte> header)
    {
        if (header.Length < MappedFileLayout.HeaderBytes) return null;
        var a = TryRead(header.Slice(MappedFileLayout.CheckpointSlotA, MappedFileLayout.CheckpointSlotBytes));
        var b = TryRead(header.Slice(MappedFileLayout.CheckpointSlotB, MappedFileLayout.CheckpointSlotBytes));
        if (a is null) return b;
        if (b is null) return a;
        return a.Sequence >= b.Sequence ? a : b;
    }

    /// <summary>Slot for a given sequence number: records alternate so the previous one survives a torn write.</summary>
    public static int SlotOffset(long sequence) => sequence % 2 == 0 ? MappedFileLayout.CheckpointSlotA : MappedFileLayout.CheckpointSlotB;

    /// <summary>FNV-1a, 64-bit: enough to tell an intact record from a torn or stale one.</summary>
    private static ulong Checksum(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 0xcbf29ce484222325;
        foreach (byte b in bytes) hash = (hash ^ b) * 0x100000001b3;
        return hash;
    }
}
