namespace CapMap.Wire;

/// <summary>
/// The last Text value one field read, kept with its UTF-8 bytes, so that reading the same bytes again (a column
/// of repeated values: a directory, a drive, a user name) returns the same string instead of decoding a new one.
/// Strings are immutable, so sharing them is safe. One per field and reader; not thread-safe.
/// </summary>
public sealed class RecentText
{
    private const int MaxBytes = 256; // longer values rarely repeat, and comparing them costs more than it saves
    private readonly byte[] _bytes = new byte[MaxBytes];
    private int _length = -1;
    private string? _text;

    internal string Get(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == _length && bytes.SequenceEqual(_bytes.AsSpan(0, _length))) return _text!;
        string text = Wtf8.GetString(bytes);
        if (bytes.Length <= MaxBytes)
        {
            bytes.CopyTo(_bytes); // kept in place: a value that does not repeat costs no allocation beyond its string
            _length = bytes.Length;
            _text = text;
        }
        return text;
    }
}
