using System.Buffers.Binary;

namespace CapMap.Messages;

/// <summary>
/// A checkpoint record: enough to rewrite the header of the message exactly as it was at a checkpoint.
/// Two slots in the header page are written alternately with a rising sequence number and a checksum,
/// so a write torn by <c>kill -9</c> leaves the previous record intact. Records live in padding words of
/// segment 0 that no pointer reaches, so readers that do not know CapMap never see them.
/// </summary>
public sealed record CheckpointRecord(
    MessageFileState State,
    long Sequence,
    long EndOffset,
    long RecordCount,
    IReadOnlyList<DeclaredSegment> Segments,
    IReadOnlyList<WordPatch> Patches)
{
    private const ulong Magic = 0x4B43_5041_4D50_4143; // "CAPMAPCK" little-endian
    /// <summary>Version 2 added the pending move; version 1 records (no move) are still read.</summary>
    private const int Version = 2;
    private const int Version1FixedBytes = 48;
    private const int FixedBytes = 88;
    private const int SegmentBytes = 12;
    private const int PatchBytes = 16;

    /// <summary>Word patches one record can hold (root pointer plus two per streaming list).</summary>
    public static int MaxPatches => (MappedFileLayout.CheckpointSlotBytes - FixedBytes - 8 - MappedFileLayout.MaxSegments * SegmentBytes) / PatchBytes;

    /// <summary>File offset of the message's segment table: 0 for a file's first message, more for one appended after others.</summary>
    public long MessageOffset { get; init; }

    /// <summary>Bytes of the message (segment table included); it ends at <see cref="EndOffset"/>, where the file is cut.</summary>
    public long MessageBytes => EndOffset - MessageOffset;

    /// <summary>A move announced by this record and not known to be finished (null: the layout is as described).</summary>
    public PendingMove? Pending { get; init; }

    /// <summary>
    /// The same content after every byte from file offset <paramref name="from"/> on moved
    /// <paramref name="shift"/> bytes: segments and patches there are re-aimed, and each segment's declared
    /// size reaches the next segment's new start (so a gap grows or shrinks as padding of the segment before it).
    /// </summary>
    public CheckpointRecord Shifted(long from, long shift)
    {
        var segments = Segments.Select(s => s.FileOffset >= from ? s with { FileOffset = s.FileOffset + shift } : s).ToArray();
        for (int i = 0; i + 1 < segments.Length; i++)
            segments[i] = segments[i] with { Words = checked((int)((segments[i + 1].FileOffset - segments[i].FileOffset) / 8)) };
        var patches = Patches.Select(p => p.FileOffset >= from ? p with { FileOffset = p.FileOffset + shift } : p).ToArray();
        var end = segments[^1];
        return this with
        {
            Segments = segments,
            Patches = patches,
            EndOffset = end.FileOffset + (long)end.Words * 8,
            Pending = null,
        };
    }

    /// <summary>The layout once <see cref="Pending"/> has happened (the record itself when nothing is pending).</summary>
    public CheckpointRecord AfterPendingMove() => Pending is { } move ? Shifted(move.ShiftFrom, move.Shift) : this;

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
        BinaryPrimitives.WriteInt64LittleEndian(record[24..], EndOffset);
        BinaryPrimitives.WriteInt64LittleEndian(record[32..], RecordCount);
        BinaryPrimitives.WriteInt32LittleEndian(record[40..], Segments.Count);
        BinaryPrimitives.WriteInt32LittleEndian(record[44..], Patches.Count);
        var pending = Pending ?? default;
        BinaryPrimitives.WriteInt32LittleEndian(record[48..], (int)pending.Kind);
        BinaryPrimitives.WriteInt32LittleEndian(record[52..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(record[56..], pending.Offset);
        BinaryPrimitives.WriteInt64LittleEndian(record[64..], pending.Length);
        BinaryPrimitives.WriteInt64LittleEndian(record[72..], pending.Other);
        BinaryPrimitives.WriteInt64LittleEndian(record[80..], MessageOffset);
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
        int version = BinaryPrimitives.ReadInt32LittleEndian(slot[8..]);
        if (version is not (1 or Version)) return null;
        int fixedBytes = version == 1 ? Version1FixedBytes : FixedBytes;
        int segmentCount = BinaryPrimitives.ReadInt32LittleEndian(slot[40..]);
        int patchCount = BinaryPrimitives.ReadInt32LittleEndian(slot[44..]);
        if ((uint)segmentCount > MappedFileLayout.MaxSegments || (uint)patchCount > (uint)(slot.Length / PatchBytes)) return null;
        int at = fixedBytes + segmentCount * SegmentBytes + patchCount * PatchBytes;
        if (at + 8 > slot.Length) return null;
        if (BinaryPrimitives.ReadUInt64LittleEndian(slot[at..]) != Checksum(slot[..at])) return null;

        var state = (MessageFileState)BinaryPrimitives.ReadInt32LittleEndian(slot[12..]);
        if (state is not (MessageFileState.Checkpoint or MessageFileState.Complete)) return null;
        PendingMove? pending = null;
        long messageOffset = 0;
        if (version >= 2)
        {
            messageOffset = BinaryPrimitives.ReadInt64LittleEndian(slot[80..]);
            if (messageOffset < 0 || messageOffset % 8 != 0) return null;
            var kind = (PendingMoveKind)BinaryPrimitives.ReadInt32LittleEndian(slot[48..]);
            long offset = BinaryPrimitives.ReadInt64LittleEndian(slot[56..]), length = BinaryPrimitives.ReadInt64LittleEndian(slot[64..]);
            long other = BinaryPrimitives.ReadInt64LittleEndian(slot[72..]);
            if (kind is PendingMoveKind.Collapse or PendingMoveKind.Copy or PendingMoveKind.Insert) pending = new PendingMove(kind, offset, length, other);
            else if (kind != 0) return null;
        }
        var segments = new DeclaredSegment[segmentCount];
        var patches = new WordPatch[patchCount];
        int p = fixedBytes;
        for (int i = 0; i < segmentCount; i++, p += SegmentBytes)
            segments[i] = new DeclaredSegment(BinaryPrimitives.ReadInt64LittleEndian(slot[p..]), BinaryPrimitives.ReadInt32LittleEndian(slot[(p + 8)..]));
        for (int i = 0; i < patchCount; i++, p += PatchBytes)
            patches[i] = new WordPatch(BinaryPrimitives.ReadInt64LittleEndian(slot[p..]), BinaryPrimitives.ReadUInt64LittleEndian(slot[(p + 8)..]));
        return new CheckpointRecord(state,
            BinaryPrimitives.ReadInt64LittleEndian(slot[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(slot[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(slot[32..]),
            segments, patches) { Pending = pending, MessageOffset = messageOffset };
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
    internal static ulong Checksum(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 0xcbf29ce484222325;
        foreach (byte b in bytes) hash = (hash ^ b) * 0x100000001b3;
        return hash;
    }
}
