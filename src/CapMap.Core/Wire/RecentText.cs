namespace CapMap.Wire;

/// <summary>
/// The last Text value one field read, kept with its UTF-8 bytes, so that reading the same bytes again (a column
/// of repeated values: a directory, a drive, a user name) returns the same string instead of decoding a new one.
/// Strings are immutable, so sharing them is safe. One per field and reader; not thread-safe.
/// </summary>
public sealed class RecentText
{
    private const int MaxBytes = 256; // longer values rarely repeat, and comparing them costs more than it saves
    private byte[] _bytes = [];
    private string? _text;

    internal string Get(ReadOnlySpan<byte> bytes)
    {
        if (_text is not null && bytes.SequenceEqual(_bytes)) return _text;
        string text = System.Text.Encoding.UTF8.GetString(bytes);
        if (bytes.Length <= MaxBytes)
        {
            _bytes = bytes.ToArray();
            _text = text;
        }
        return text;
    }
}
