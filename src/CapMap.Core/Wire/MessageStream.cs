namespace CapMap.Wire;

/// <summary>
/// The standard stream framing of several messages: message after message, each with its own segment
/// table, as <c>capnp convert</c>, pycapnp's <c>read_multiple</c>, Go's <c>Decoder</c> and Rust's
/// <c>try_read_message</c> read and write them. Scanning reads only the tables.
/// </summary>
/// <remarks>
/// Where the messages end: at the end of the file, or at the first bytes that do not start a message
/// (fewer than 8 bytes, an invalid table, or a table whose first segment is empty, which no writer
/// produces for a message with a root). Those bytes are slack (for example a file left at its grown
/// size, which reads as zeros). A table that is valid but declares more than the file holds is reported
/// as a truncated last message.
/// </remarks>
public static unsafe class MessageStream
{
    /// <summary>The messages from <paramref name="from"/> on in [<paramref name="data"/>, data + <paramref name="length"/>).</summary>
    public static IReadOnlyList<StreamMessage> Scan(byte* data, long length, long from = 0)
    {
        var messages = new List<StreamMessage>();
        long offset = from;
        while (length - offset >= 8)
        {
            SegmentTable table;
            try
            {
                table = Framing.ReadTable(new ReadOnlySpan<byte>(data + offset, (int)Math.Min(length - offset, 8192)));
            }
            catch (CapnpFormatException)
            {
                break;
            }
            if (table.SegmentWords[0] == 0) break;
            bool truncated = offset + table.MessageBytes > length;
            messages.Add(new StreamMessage(messages.Count, offset, table, truncated));
            if (truncated) break;
            offset += table.MessageBytes;
        }
        return messages;
    }

    /// <summary>
    /// The end of the last whole message at or after <paramref name="from"/> (<paramref name="from"/>
    /// itself when none starts there): the bytes a cut must keep.
    /// </summary>
    public static long EndOfMessages(byte* data, long length, long from)
    {
        long end = from;
        foreach (var message in Scan(data, length, from))
            if (!message.IsTruncated) end = message.End;
        return end;
    }
}
