using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>Counts the records of a message: the elements of the root's list of structs.</summary>
internal static unsafe class RecordLists
{
    public static long Count(byte* message, long bytes, int? pointerIndex)
    {
        try
        {
            using var reader = MessageReader.FromMemory(message, bytes, ReaderOptions.Unlimited);
            var root = reader.GetRoot();
            if (pointerIndex is { } index) return StructListCount(root, index) ?? 0;
            long? only = null;
            for (int i = 0; i < root.PointerCount; i++)
            {
                if (StructListCount(root, i) is not { } count) continue;
                if (only is not null) return 0; // several lists of structs: which one holds the records is the schema's to say
                only = count;
            }
            return only ?? 0;
        }
        catch (CapnpFormatException)
        {
            return 0;
        }
    }

    private static long? StructListCount(StructReader root, int pointerIndex)
    {
        if (root.IsPointerNull(pointerIndex)) return null;
        try
        {
            var list = root.ReadList(pointerIndex);
            return list.ElementSize == ElementSize.InlineComposite ? list.Count : null;
        }
        catch (CapnpFormatException)
        {
            return null; // a struct pointer, or not a list at all
        }
    }
}
