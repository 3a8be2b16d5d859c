using CapMap.Schema;
using CapMap.Schema.Inference;

namespace CapMap.Objects.Codecs;

/// <summary>
/// How much of a nested struct's sections its values need: the data words up to the last one that holds a non-zero
/// value and the pointers up to the last non-null one. A struct may be written that much smaller than its schema
/// says (every reader reads a field beyond the sections as its default), which is what Cap'n Proto's canonical
/// encoding does. Objects nested in records often leave their last fields empty (a <c>FileVersionInfo</c> of a text
/// file has a name and nothing else: 15 of its 19 words), and a struct sized by its schema keeps those as zeros in the
/// file, so they are cut here before the struct is allocated. A record of a list keeps its full size: the elements of
/// a struct list all have one size, and the list is opened before its records are known.
/// </summary>
internal struct StructExtent
{
    /// <summary>Data words needed: one past the last word that holds a non-zero value.</summary>
    public int DataWords;

    /// <summary>Pointers needed: one past the last non-null pointer.</summary>
    public int Pointers;

    /// <summary>The data word a field of <paramref name="kind"/> at <paramref name="offset"/> (in its own size) lies in; -1 for a pointer or Void.</summary>
    public static int DataWordOf(TypeKind kind, uint offset) => CapnpStructLayout.SizeOf(kind) switch
    {
        LayoutSize.Pointer or LayoutSize.Void => -1,
        var size => (int)(((ulong)offset << (int)size) / 64), // a field of 2^size bits
    };

    /// <summary>Takes in a field at <paramref name="dataWord"/> or <paramref name="pointer"/> (the other one -1) holding <paramref name="value"/> (null: nothing to write).</summary>
    public void Include(int dataWord, int pointer, object? value)
    {
        if (value is null) return;
        if (pointer >= 0) Pointers = Math.Max(Pointers, pointer + 1);
        else if (dataWord >= 0 && !IsZero(value)) DataWords = Math.Max(DataWords, dataWord + 1);
    }

    /// <summary>
    /// True when a data field's value is stored as all zero bits (inferred fields have no defaults, so the stored bits
    /// are the value's). Anything not known to be zero (a string for a number, say) is treated as non-zero, so its
    /// word is kept and the converter sees it as before.
    /// </summary>
    public static bool IsZero(object value) => value switch
    {
        bool b => !b,
        sbyte v => v == 0,
        byte v => v == 0,
        short v => v == 0,
        ushort v => v == 0,
        int v => v == 0,
        uint v => v == 0,
        long v => v == 0,
        ulong v => v == 0,
        float v => BitConverter.SingleToInt32Bits(v) == 0, // -0.0 is not zero bits
        double v => BitConverter.DoubleToInt64Bits(v) == 0,
        _ => false,
    };
}
