using System.Text;

namespace CapMap.Wire;

/// <summary>
/// Text bytes in WTF-8 (generalized UTF-8, https://simonsapin.github.io/wtf-8/): UTF-8 that also encodes a lone
/// UTF-16 surrogate (a .NET string that is not valid UTF-16) as the three bytes UTF-8 would give its code point,
/// <c>ED A0 80</c> … <c>ED BF BF</c>, so such a string is kept exactly instead of becoming U+FFFD. A valid string
/// gives exactly its UTF-8 bytes, so every other reader sees the same Text; only a lone surrogate's three bytes are
/// invalid UTF-8 to them (they typically show U+FFFD). Both directions take the ordinary UTF-8 path unless a
/// vectorized scan finds a surrogate (writing) or an encoded one (reading).
/// </summary>
internal static class Wtf8
{
    public static int GetByteCount(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAnyInRange('\uD800', '\uDFFF') < 0) return Encoding.UTF8.GetByteCount(text);
        int count = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                count += 4;
                i++;
            }
            else count += c < 0x80 ? 1 : c < 0x800 ? 2 : 3; // a lone surrogate takes 3, as any other BMP code point
        }
        return count;
    }

    /// <summary>Writes <paramref name="text"/> into <paramref name="bytes"/>, which holds exactly <see cref="GetByteCount"/> bytes.</summary>
    public static void GetBytes(ReadOnlySpan<char> text, Span<byte> bytes)
    {
        if (text.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            Encoding.UTF8.GetBytes(text, bytes);
            return;
        }
        int at = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int scalar = char.ConvertToUtf32(c, text[++i]);
                bytes[at++] = (byte)(0xF0 | (scalar >> 18));
                bytes[at++] = (byte)(0x80 | ((scalar >> 12) & 0x3F));
                bytes[at++] = (byte)(0x80 | ((scalar >> 6) & 0x3F));
                bytes[at++] = (byte)(0x80 | (scalar & 0x3F));
            }
            else if (c < 0x80) bytes[at++] = (byte)c;
            else if (c < 0x800)
            {
                bytes[at++] = (byte)(0xC0 | (c >> 6));
                bytes[at++] = (byte)(0x80 | (c & 0x3F));
            }
            else
            {
                bytes[at++] = (byte)(0xE0 | (c >> 12));
                bytes[at++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                bytes[at++] = (byte)(0x80 | (c & 0x3F));
            }
        }
    }

    /// <summary>The string the bytes encode; an encoded lone surrogate becomes that surrogate, invalid bytes U+FFFD as in UTF-8.</summary>
    public static string GetString(ReadOnlySpan<byte> bytes)
    {
        int first = FindEncodedSurrogate(bytes, 0);
        if (first < 0) return Encoding.UTF8.GetString(bytes);
        var result = new StringBuilder(bytes.Length);
        int start = 0;
        for (int at = first; at >= 0; at = FindEncodedSurrogate(bytes, start))
        {
            result.Append(Encoding.UTF8.GetString(bytes[start..at]));
            result.Append((char)(0xD000 | ((bytes[at + 1] & 0x3F) << 6) | (bytes[at + 2] & 0x3F)));
            start = at + 3;
        }
        return result.Append(Encoding.UTF8.GetString(bytes[start..])).ToString();
    }

    // ED followed by A0..BF and a continuation byte: a surrogate's code point (valid UTF-8 follows ED with 80..9F only).
    private static int FindEncodedSurrogate(ReadOnlySpan<byte> bytes, int from)
    {
        while (from < bytes.Length)
        {
            int ed = bytes[from..].IndexOf((byte)0xED);
            if (ed < 0) return -1;
            int at = from + ed;
            if (at + 2 < bytes.Length && bytes[at + 1] is >= 0xA0 and <= 0xBF && (bytes[at + 2] & 0xC0) == 0x80) return at;
            from = at + 1;
        }
        return -1;
    }
}
