using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects;

/// <summary>
/// The mirror of <see cref="ObjectMessageWriter"/>: reads a message file back by schema and <see cref="FieldPath"/>,
/// as decoded <see cref="StructValue"/>s: the elements of a List(Struct), or one struct or group (the root when
/// no path is given). A path through a union member that is not set, or a null struct, yields nothing.
/// </summary>
/// <remarks>
/// The file is mapped and read in place, lazily: each value is decoded when the enumeration reaches it, and owns
/// its data afterwards (nothing refers to the mapping once the reader is disposed). Files are trusted local data,
/// so the traversal limit is sized to the file (its words plus the default 8 Mi words) instead of the default
/// 64 MiB that protects servers from hostile input.
/// </remarks>
public sealed class ObjectMessageReader : IDisposable
{
    private readonly MessageReader _reader;

    private ObjectMessageReader(MessageReader reader, StructSchema root, FieldPath? target)
    {
        _reader = reader;
        Root = root;
        Target = target;
    }

    /// <summary>Opens <paramref name="file"/> for reading with <paramref name="root"/> as the root type.</summary>
    /// <exception cref="CapnpFormatException">The file is no valid message.</exception>
    public static ObjectMessageReader Open(string file, StructSchema root, FieldPath? target)
    {
        ArgumentNullException.ThrowIfNull(root);
        long words = new FileInfo(file).Length / 8;
        var options = new ReaderOptions { TraversalLimitInWords = words + WireLimits.DefaultTraversalLimitInWords };
        return new ObjectMessageReader(MessageReader.FromFile(file, options), root, target);
    }

    /// <summary>The root struct's schema.</summary>
    public StructSchema Root { get; }

    /// <summary>What is read; null: the root struct itself.</summary>
    public FieldPath? Target { get; }

    /// <summary>
    /// The values at <see cref="Target"/>: for a list, its elements from <paramref name="skip"/> on, at most
    /// <paramref name="first"/> of them (found by index, so skipping costs nothing); else the one struct.
    /// </summary>
    /// <exception cref="CapnpFormatException">Malformed data was found on the way.</exception>
    public IEnumerable<StructValue> Read(int skip = 0, int first = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        var current = _reader.GetRoot();
        if (Target is null)
        {
            yield return DynamicValueReader.ReadStruct(current, Root);
            yield break;
        }

        var fields = Target.Fields;
        for (int i = 0; i < fields.Count - 1; i++)
        {
            if (!IsSelected(current, fields[i])) yield break; // another union member is set: nothing there
            if (!fields[i].IsGroup) current = current.ReadStruct(checked((int)fields[i].Offset));
        }
        var last = Target.Field;
        if (!IsSelected(current, last)) yield break;
        if (!Target.IsList)
        {
            var target = last.IsGroup ? current : current.ReadStruct(checked((int)last.Offset));
            if (!last.IsGroup && target.IsNull) yield break;
            yield return DynamicValueReader.ReadStruct(target, Target.ElementSchema);
            yield break;
        }

        var list = current.ReadList(checked((int)last.Offset));
        long end = Math.Min((long)list.Count, (long)skip + first);
        for (int i = skip; i < end; i++)
            yield return DynamicValueReader.ReadStruct(list.GetStruct(i), Target.ElementSchema);
    }

    private static bool IsSelected(StructReader reader, FieldSchema field) =>
        !field.IsInUnion || reader.ReadUInt16(checked((int)field.DeclaringStruct.DiscriminantOffset)) == field.DiscriminantValue;

    /// <summary>Unmaps the file.</summary>
    public void Dispose() => _reader.Dispose();
}
