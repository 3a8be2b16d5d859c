using CapMap.IO;

namespace CapMap.Messages;

/// <summary>
/// The schema a CapMap message carries, so that reading it back, inspecting it and appending to it need
/// no <c>-Schema</c>: a CodeGeneratorRequest (what <c>capnp compile -o-</c> writes and
/// <c>Import-CapnpSchema</c> loads, or what CapMap writes for an inferred schema) and the id of the root struct.
/// </summary>
/// <remarks>
/// Where it lives: the first words of segment 0's data, before the root struct, where no pointer reaches.
/// Stock readers (capnp, C++, capnp-es) follow pointers from the root and never visit unreferenced words,
/// so they read the message exactly as without it. It is written once, when the message is created, and
/// segment 0 never moves, so every checkpoint and the completed message carry it. Layout, in words from
/// the data start of the message (<see cref="MappedFileLayout.DataStart"/>): magic "CAPMAPSC", the root
/// struct's node id, the request's length in bytes, its FNV-1a checksum, then the request, zero-padded.
/// </remarks>
public sealed record EmbeddedSchema(byte[] CodeGeneratorRequest, ulong RootTypeId)
{
    private const ulong Magic = 0x4353_5041_4D50_4143; // "CAPMAPSC" little-endian
    private const int HeaderWords = 4;

    /// <summary>Words it takes in segment 0.</summary>
    internal int Words => HeaderWords + (CodeGeneratorRequest.Length + 7) / 8;

    internal unsafe void WriteTo(ulong* words)
    {
        words[0] = Magic;
        words[1] = RootTypeId;
        words[2] = (ulong)CodeGeneratorRequest.Length;
        words[3] = CheckpointRecord.Checksum(CodeGeneratorRequest);
        CodeGeneratorRequest.CopyTo(new Span<byte>(words + HeaderWords, CodeGeneratorRequest.Length));
    }

    /// <summary>The schema of the message that starts at <paramref name="messageOffset"/>, or null when it carries none.</summary>
    internal static unsafe EmbeddedSchema? TryRead(byte* file, long length, long messageOffset)
    {
        long at = MappedFileLayout.DataStart(messageOffset);
        if (at + HeaderWords * 8 > length) return null;
        var words = (ulong*)(file + at);
        if (words[0] != Magic) return null;
        ulong bytes = words[2];
        if (bytes == 0 || bytes > (ulong)(length - at - HeaderWords * 8) || bytes > int.MaxValue) return null;
        var request = new ReadOnlySpan<byte>(words + HeaderWords, (int)bytes);
        if (CheckpointRecord.Checksum(request) != words[3]) return null;
        return new EmbeddedSchema(request.ToArray(), words[1]);
    }

    /// <summary>
    /// The schema carried by message <paramref name="messageIndex"/> of the file, or null when it carries none. A
    /// caller that also reads the messages asks the <see cref="OpenMessageFile"/> it reads them from instead
    /// (<see cref="OpenMessageFile.SchemaOf(int)"/>), so the file is mapped once.
    /// </summary>
    /// <exception cref="Wire.CapnpFormatException">The file is no valid message.</exception>
    /// <exception cref="MessageNotFoundException">The file holds no such message.</exception>
    /// <exception cref="FileTruncatedException">The file was cut while it was read.</exception>
    public static EmbeddedSchema? Read(string path, int messageIndex = 0)
    {
        using var file = OpenMessageFile.Open(path);
        return file.SchemaOf(messageIndex);
    }

    /// <summary>True if <paramref name="other"/> is the same schema (same root, same request bytes).</summary>
    public bool SameAs(EmbeddedSchema? other) =>
        other is not null && other.RootTypeId == RootTypeId && other.CodeGeneratorRequest.AsSpan().SequenceEqual(CodeGeneratorRequest);
}
