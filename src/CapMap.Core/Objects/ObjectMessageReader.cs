using CapMap.Messages;
using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects;

/// <summary>
/// The mirror of <see cref="ObjectMessageWriter"/>: reads a message file back by schema and <see cref="FieldPath"/>,
/// as decoded <see cref="StructValue"/>s: the elements of a List(Struct), or one struct or group (the root when
/// no path is given). A path through a union member that is not set, or a null struct, yields nothing. A file
/// that holds a stream of several messages is read message after message, each by the same root type.
/// </summary>
/// <remarks>
/// The file is mapped and read in place, lazily: each value is decoded when the enumeration reaches it, and owns
/// its data afterwards (nothing refers to the mapping once the reader is disposed). Files are trusted local data,
/// so the traversal limit is sized to each message (its words plus the default 8 Mi words) instead of the default
/// 64 MiB that protects servers from hostile input. Every value is read through
/// <see cref="MessageReader.ReadConsistent{T}"/>, so a value read from the zeros of a file cut meanwhile is never
/// returned: the enumeration ends in <see cref="IO.FileTruncatedException"/> instead.
/// </remarks>
public sealed class ObjectMessageReader : IDisposable
{
    private readonly string _file;
    private readonly IReadOnlyList<MessageFileInfo> _messages;
    private MessageReader? _current;

    private ObjectMessageReader(string file, IReadOnlyList<MessageFileInfo> messages, StructSchema root, FieldPath? target)
    {
        _file = file;
        _messages = messages;
        Root = root;
        Target = target;
    }

    /// <summary>Opens <paramref name="file"/> for reading with <paramref name="root"/> as the root type.</summary>
    /// <exception cref="CapnpFormatException">The file is no valid message.</exception>
    public static ObjectMessageReader Open(string file, StructSchema root, FieldPath? target)
    {
        ArgumentNullException.ThrowIfNull(root);
        return new ObjectMessageReader(file, MessageFileInfo.ReadAll(file), root, target);
    }

    /// <summary>The root type every message is read as.</summary>
    public StructSchema Root { get; }

    /// <summary>What is read from each message's root: a list's elements, one struct, or (null) the root itself.</summary>
    public FieldPath? Target { get; }

    /// <summary>Messages in the file.</summary>
    public int MessageCount => _messages.Count;

    /// <summary>
    /// The values, lazily, skipping the first <paramref name="skip"/> and stopping after <paramref name="first"/>,
    /// counted over all messages of the file. Skipping costs nothing per skipped value: a message whose values
    /// are all skipped is not decoded at all.
    /// </summary>
    public IEnumerable<StructValue> Read(long skip = 0, long first = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        foreach (var message in _messages)
        {
            if (first <= 0) yield break;
            _current?.Dispose();
            var options = new ReaderOptions { TraversalLimitInWords = message.MessageBytes / 8 + WireLimits.DefaultTraversalLimitInWords };
            var reader = _current = MessageReader.FromFile(_file, options, message.Offset);
            var selection = reader.ReadConsistent(() => Select(reader.GetRoot()));
            if (skip >= selection.Count)
            {
                skip -= selection.Count;
                continue;
            }
            long end = Math.Min(selection.Count, skip + first);
            for (long i = skip; i < end; i++)
            {
                long index = i;
                yield return reader.ReadConsistent(() => selection.Decode(index));
            }
            first -= end - skip;
            skip = 0;
        }
    }

    /// <summary>What <see cref="Target"/> selects in one message: how many values, and how to decode the i-th.</summary>
    private readonly record struct Selection(long Count, Func<long, StructValue> Decode)
    {
        public static readonly Selection Empty = new(0, _ => throw new ArgumentOutOfRangeException(nameof(Decode)));
    }

    private Selection Select(StructReader root)
    {
        if (Target is null) return new Selection(1, _ => DynamicValueReader.ReadStruct(root, Root));
        var current = root;
        var fields = Target.Fields;
        for (int i = 0; i < fields.Count - 1; i++)
        {
            if (!IsSelected(current, fields[i])) return Selection.Empty; // another union member is set: nothing there
            if (!fields[i].IsGroup) current = current.ReadStruct(checked((int)fields[i].Offset));
        }
        var last = Target.Field;
        if (!IsSelected(current, last)) return Selection.Empty;
        var element = Target.ElementSchema;
        if (!Target.IsList)
        {
            var target = last.IsGroup ? current : current.ReadStruct(checked((int)last.Offset));
            if (!last.IsGroup && target.IsNull) return Selection.Empty;
            return new Selection(1, _ => DynamicValueReader.ReadStruct(target, element));
        }
        var list = current.ReadList(checked((int)last.Offset));
        return new Selection(list.Count, i => DynamicValueReader.ReadStruct(list.GetStruct(checked((int)i)), element));
    }

    private static bool IsSelected(StructReader reader, FieldSchema field) =>
        !field.IsInUnion || reader.ReadUInt16(checked((int)field.DeclaringStruct.DiscriminantOffset)) == field.DiscriminantValue;

    /// <inheritdoc/>
    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
    }
}
