using System.Buffers.Binary;

namespace CapMap.Wire;

/// <summary>
/// Stream framing (the segment table): u32 segment count − 1, a u32 word count per segment, padding
/// to a word boundary, then the segments back to back. Same name as Capnp.Net.Runtime's <c>Framing</c>.
/// </summary>
public static unsafe class Framing
{
    /// <summary>Bytes taken by the table of a message with <paramref name="segmentCount"/> segments.</summary>
    public static int GetTableSize(int segmentCount)
    {
        if (segmentCount < 1 || segmentCount > WireLimits.MaxSegments)
            throw new ArgumentOutOfRangeException(nameof(segmentCount), segmentCount, $"A message has 1 to {WireLimits.MaxSegments} segments.");
        return ((segmentCount + 1) * 4 + 7) & ~7;
    }

    /// <summary>Writes the table for <paramref name="segmentWords"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int WriteTable(Span<byte> destination, ReadOnlySpan<int> segmentWords)
    {
        int size = GetTableSize(segmentWords.Length);
        if (destination.Length < size) throw new ArgumentException($"The table needs {size} bytes.", nameof(destination));
        var table = destination[..size];
        table.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(table, (uint)(segmentWords.Length - 1));
        for (int i = 0; i < segmentWords.Length; i++)
        {
            if (segmentWords[i] < 1 || segmentWords[i] > WireLimits.MaxSegmentWords)
                throw new CapnpCapacityException($"Segment {i} has {segmentWords[i]} words; a segment holds 1 to {WireLimits.MaxSegmentWords}.");
            BinaryPrimitives.WriteUInt32LittleEndian(table[(4 + i * 4)..], (uint)segmentWords[i]);
        }
        return size;
    }

    /// <summary>Writes the whole message held by <paramref name="arena"/> to a stream.</summary>
    public static void WriteMessage(Stream destination, ISegmentArena arena)
    {
        int count = arena.SegmentCount;
        var sizes = new int[count];
        for (int i = 0; i < count; i++) sizes[i] = arena.GetSegmentWordCount(i);
        var table = new byte[GetTableSize(count)];
        WriteTable(table, sizes);
        destination.Write(table);
        for (int i = 0; i < count; i++)
        {
            Native.NativeRange.ForEachChunk((byte*)arena.GetSegmentStart(i), (long)sizes[i] * 8, chunk => destination.Write(chunk));
        }
    }

    /// <summary>
    /// Throws why no message starts at <paramref name="start"/>, the first bytes of <paramref name="path"/>: the file
    /// is not a Cap'n Proto message. The exception shows those bytes (as hex, and as text when they are printable,
    /// which is what a text file or another format gives away) and, as detail, what the segment table they would be
    /// claims. Callers use it once a scan found no message at the start of a file, so the user reads "not a message"
    /// rather than a segment count of a billion taken from the letters of a word.
    /// </summary>
    /// <exception cref="CapnpFormatException">Always.</exception>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void ThrowNotAMessage(string path, ReadOnlySpan<byte> start)
    {
        string detail;
        try
        {
            var table = ReadTable(start);
            detail = table.SegmentWords[0] == 0
                ? "Its segment table declares an empty first segment, which holds no root."
                : $"Its segment table declares {table.SegmentWords.Count} segment(s) of {table.MessageBytes:N0} bytes in all, which the file does not hold as a message.";
        }
        catch (CapnpFormatException e)
        {
            detail = e.Message;
        }
        throw new CapnpFormatException($"'{path}' is not a Cap'n Proto message (its first bytes are {ShowBytes(start[..Math.Min(start.Length, 8)])}). {detail}");
    }

    // Hex, plus the text when every byte is printable ASCII: "68 65 6C 6C 6F 20 77 6F ("hello wo")".
    private static string ShowBytes(ReadOnlySpan<byte> bytes)
    {
        string hex = Convert.ToHexString(bytes);
        var spaced = string.Join(' ', Enumerable.Range(0, bytes.Length).Select(i => hex.Substring(i * 2, 2)));
        foreach (byte b in bytes)
            if (b < 0x20 || b > 0x7E) return spaced;
        return $"{spaced} (\"{System.Text.Encoding.ASCII.GetString(bytes)}\")";
    }

    /// <summary>
    /// Parses a segment table from the start of <paramref name="data"/>, checking it against the bytes
    /// that are there. Never allocates more than the 511-entry maximum, whatever the table claims.
    /// </summary>
    public static SegmentTable ReadTable(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8) throw new CapnpFormatException($"The message is {data.Length} bytes long; a segment table needs at least 8.");
        uint countMinusOne = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (countMinusOne >= WireLimits.MaxSegments)
            throw new CapnpFormatException($"The segment table claims {(ulong)countMinusOne + 1} segments; readers accept at most {WireLimits.MaxSegments}.");
        int count = (int)countMinusOne + 1;
        int tableSize = GetTableSize(count);
        if (data.Length < tableSize) throw new CapnpFormatException($"The segment table of {count} segments is truncated ({data.Length} of {tableSize} bytes).");
        var sizes = new int[count];
        long offset = tableSize;
        var offsets = new long[count];
        for (int i = 0; i < count; i++)
        {
            uint words = BinaryPrimitives.ReadUInt32LittleEndian(data[(4 + i * 4)..]);
            if (words > WireLimits.MaxSegmentWords)
                throw new CapnpFormatException($"Segment {i} claims {words} words; a segment holds at most {WireLimits.MaxSegmentWords}.");
            sizes[i] = (int)words;
            offsets[i] = offset;
            offset += (long)words * 8;
        }
        return new SegmentTable(tableSize, sizes, offsets, offset);
    }
}
