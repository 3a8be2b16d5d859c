using CapMap.Wire;

namespace CapMap.IO;

/// <summary>
/// Opens a message file for reading in place: the file is mapped read-only (<see cref="ReadOnlyFileMapping"/>) and
/// a <see cref="MessageReader"/> reads the mapping, so nothing is copied. Here rather than in Wire because the
/// wire layer reads memory and knows nothing of files.
/// </summary>
public static class MessageFile
{
    /// <summary>
    /// Maps a message file read-only and reads it in place (zero-copy). The file may be cut by another
    /// process while it is read: every pointer the reader follows then ends in
    /// <see cref="FileTruncatedException"/>, but values read straight from a struct (numbers, bools)
    /// read as zeros, so check with <see cref="MessageReader.ThrowIfFileTruncated"/> after reading, or read through
    /// <see cref="MessageReader.ReadConsistent{T}"/>.
    /// </summary>
    /// <exception cref="FileTruncatedException">The file shrank while its segment table was read.</exception>
    /// <param name="path">The file.</param>
    /// <param name="options">Traversal and nesting limits.</param>
    /// <param name="messageOffset">Where the message starts, for a file that holds a stream of several (see <see cref="MessageStream"/>).</param>
    public static unsafe MessageReader Open(string path, ReaderOptions? options = null, long messageOffset = 0)
    {
        long length = new FileInfo(path).Length;
        if (length - messageOffset < 8 || messageOffset < 0)
            throw new CapnpFormatException($"'{path}' is {length} bytes long; a message at byte {messageOffset} needs at least 8.");
        var mapping = ReadOnlyFileMapping.Open(path);
        try
        {
            return mapping.ReadConsistent(() => MessageReader.FromMemory(mapping.Pointer + messageOffset, mapping.Length - messageOffset, options, mapping));
        }
        catch
        {
            mapping.Dispose();
            throw;
        }
    }
}
