using CapMap.Messages;
using CapMap.Objects.Codecs;
using CapMap.Objects.Reading;
using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects;

/// <summary>
/// The mirror of <see cref="ObjectMessageWriter"/>: reads a message file back by schema and <see cref="FieldPath"/>:
/// the elements of a List(Struct), or one struct or group (the root when no path is given). A path through a
/// union member that is not set, or a null struct, yields nothing. A file that holds a stream of several messages
/// is read message after message, each by its own <see cref="MessagePlan{T}"/> (so each by its own schema).
/// </summary>
/// <remarks>
/// The file is mapped once (<see cref="OpenMessageFile"/>) and read in place, lazily: values are made as the
/// enumeration reaches them (or up to two batches ahead, on a worker thread, with read-ahead), in batches of at
/// most <see cref="BatchSize"/>, and own their data (nothing refers to the mapping once the reader is disposed); a plan's <see cref="MessagePlan{T}.Batch"/> may
/// make them as copies that decode later (<see cref="DetachedRows"/>).
/// The traversal limit is one budget for the whole file, shared by its messages: by default the file's words plus
/// <see cref="TraversalSlackInWords"/>, instead of the fixed 64 MiB that protects servers (a CapMap file is often
/// larger). A file's own words pay for reading it once; the slack pays for what costs more to visit than to store
/// (elements of zero size cost one word each), and so bounds how many values a small hostile file can make: no more
/// than its words plus the slack, however many messages it holds. Each batch is read through
/// <see cref="MessageReader.ReadConsistent{T}"/> before any of its values is returned, so a value read from the zeros
/// of a file cut meanwhile is never returned: the enumeration ends in <see cref="IO.FileTruncatedException"/>
/// instead. (One check per batch, not per value: the check costs a system call.)
/// </remarks>
public sealed class ObjectMessageReader : IDisposable
{
    /// <summary>Most values decoded between two consistency checks.</summary>
    public const int BatchSize = 1024;

    private readonly OpenMessageFile _file;
    private IReadOnlyList<MessageFileInfo> _messages;
    private MessageReader? _current;

    /// <summary>Words of traversal the default budget adds to the file's own words (64 Ki: as many values of zero size).</summary>
    public const long TraversalSlackInWords = 64L * 1024;

    private ObjectMessageReader(OpenMessageFile file, StructSchema? root, FieldPath? target)
    {
        // A truncated message is refused before anything of the file is read, with the message Get-CapnpMessageInfo gives.
        foreach (var message in file.Messages) message.ThrowIfTruncated();
        _file = file;
        _messages = file.Messages;
        Root = root;
        Target = target;
        TraversalLimitInWords = file.Length / WireLimits.BytesPerWord + TraversalSlackInWords;
    }

    /// <summary>
    /// Words the reading of the whole file may visit, all messages together (see the remarks); by default the file's
    /// words plus <see cref="TraversalSlackInWords"/>. Past it the enumeration ends in a <see cref="CapnpTraversalLimitException"/>.
    /// </summary>
    public long TraversalLimitInWords
    {
        get => _traversalLimit;
        set => _traversalLimit = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The traversal limit must be positive.");
    }

    private long _traversalLimit;

    /// <summary>Opens <paramref name="file"/> for reading with <paramref name="root"/> as the root type of every message.</summary>
    /// <exception cref="CapnpFormatException">The file is no valid message, or one of its messages is truncated.</exception>
    public static ObjectMessageReader Open(string file, StructSchema root, FieldPath? target)
    {
        ArgumentNullException.ThrowIfNull(root);
        return Owning(file, opened => new ObjectMessageReader(opened, root, target));
    }

    /// <summary>Opens <paramref name="file"/> for reading each message by a plan of its own (<see cref="Read{T}"/>).</summary>
    /// <exception cref="CapnpFormatException">The file is no valid message, or one of its messages is truncated.</exception>
    public static ObjectMessageReader Open(string file) => Owning(file, opened => new ObjectMessageReader(opened, null, null));

    private static ObjectMessageReader Owning(string path, Func<OpenMessageFile, ObjectMessageReader> create)
    {
        var file = OpenMessageFile.Open(path);
        try
        {
            return create(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The file being read, open once for the reader and its plans: a plan gets its message's carried schema from it
    /// (<see cref="OpenMessageFile.SchemaOf(MessageFileInfo)"/>), so nothing maps the file again. The reader disposes it.
    /// </summary>
    public OpenMessageFile File => _file;

    /// <summary>
    /// The messages read: the file's, as <see cref="OpenMessageFile.Messages"/> lists them (none is truncated), or
    /// those <see cref="SelectMessages"/> kept.
    /// </summary>
    public IReadOnlyList<MessageFileInfo> Messages => _messages;

    /// <summary>
    /// Reads only the messages numbered <paramref name="indexes"/> (0-based, as <see cref="MessageFileInfo.Index"/> and
    /// Get-CapnpMessageInfo number them), in file order and each once, whatever the order and repeats of the indexes (as
    /// Select-Object -Index picks). <see cref="Read{T}"/>'s skip and first then count over the values of these messages
    /// only. Called once, before reading.
    /// </summary>
    /// <exception cref="MessageNotFoundException">An index names no message of the file; nothing is selected then.</exception>
    /// <exception cref="InvalidOperationException">Messages were selected already.</exception>
    public void SelectMessages(IEnumerable<int> indexes)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        if (_selected) throw new InvalidOperationException("The reader's messages were selected already.");
        var wanted = new SortedSet<int>(indexes);
        var kept = _messages.Where(m => wanted.Contains(m.Index)).ToArray();
        if (kept.Length < wanted.Count)
            throw new MessageNotFoundException(_file.Path, wanted.Except(kept.Select(m => m.Index)).ToArray(), _messages.Count);
        _messages = kept;
        _selected = true;
    }

    private bool _selected;

    /// <summary>The root type every message is read as by <see cref="Read(long, long)"/>; null when opened without one.</summary>
    public StructSchema? Root { get; }

    /// <summary>What <see cref="Read(long, long)"/> reads from each message's root: a list's elements, one struct, or (null) the root itself.</summary>
    public FieldPath? Target { get; }

    /// <summary>Messages in the file.</summary>
    public int MessageCount => _messages.Count;

    /// <summary>How far the enumeration is through the file, from 0 to 1 (by messages, and by values within the current one).</summary>
    public double Fraction { get; private set; }

    /// <summary>
    /// The values as <see cref="StructValue"/>s, by the root type given at <see cref="Open(string, StructSchema, FieldPath)"/>;
    /// see <see cref="Read{T}"/> for skipping and stopping.
    /// </summary>
    public IEnumerable<StructValue> Read(long skip = 0, long first = long.MaxValue)
    {
        var root = Root ?? throw new InvalidOperationException("The reader was opened without a root type; read it with a plan per message.");
        var plan = new MessagePlan<StructValue>(root, Target, DynamicValueReader.ReadStruct);
        return Read(_ => plan, skip, first);
    }

    /// <summary>
    /// The values, lazily, each message read by <paramref name="planFor"/>(the message), skipping the first
    /// <paramref name="skip"/> and stopping after <paramref name="first"/>, counted over all messages of the file.
    /// Skipping costs nothing per skipped value: a message whose values are all skipped is not decoded at all.
    /// </summary>
    /// <param name="planFor">The plan of each message.</param>
    /// <param name="skip">Values to skip first.</param>
    /// <param name="first">Most values to return.</param>
    /// <param name="readAhead">
    /// Decode on a worker thread, up to two batches ahead of the enumeration (where the machine has more than one
    /// core). <paramref name="planFor"/> and the plans' decoders then run on that thread, one call at a time. The
    /// enumeration's disposal waits for the worker, so nothing reads the file once it is disposed.
    /// </param>
    public IEnumerable<T> Read<T>(Func<MessageFileInfo, MessagePlan<T>> planFor, long skip = 0, long first = long.MaxValue, bool readAhead = false)
    {
        ArgumentNullException.ThrowIfNull(planFor);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        var batches = Batches(planFor, skip, first);
        if (readAhead && ReadAhead.Worthwhile) batches = ReadAhead.Run(batches, depth: 2);
        return Flatten(batches);
    }

    /// <summary>
    /// The values as rows, through <paramref name="codec"/>'s plan for <paramref name="target"/> (null: the root itself)
    /// in every message; see <see cref="Read{T}"/> for skipping, stopping and reading ahead.
    /// </summary>
    public IEnumerable<object> ReadRows(RecordCodec codec, FieldPath? target, long skip = 0, long first = long.MaxValue, bool readAhead = false)
    {
        ArgumentNullException.ThrowIfNull(codec);
        var plan = codec.PlanFor(target);
        return Read(_ => plan, skip, first, readAhead);
    }

    /// <summary>
    /// The values as rows by a schema the caller gives, whatever the file carries: <paramref name="root"/> is every
    /// message's root, and structs come back by their Cap'n Proto field names.
    /// </summary>
    public IEnumerable<object> ReadRows(StructSchema root, FieldPath? target, ObjectModel model, long skip = 0, long first = long.MaxValue, bool readAhead = false) =>
        ReadRows(new ExplicitRecordCodec(root, model), target, skip, first, readAhead);

    /// <summary>
    /// The values as rows, each message read by the schema it carries, through the codec that schema calls for (an
    /// inferred schema's records come back with their original names and .NET types); a message that carries none is
    /// read by the one before it. <paramref name="targetFor"/> picks what to read from each schema's root.
    /// </summary>
    /// <exception cref="NoCarriedSchemaException">The first message carries no schema (thrown by the enumeration).</exception>
    public IEnumerable<object> ReadRows(Func<StructSchema, FieldPath?> targetFor, ObjectModel model, long skip = 0, long first = long.MaxValue, bool readAhead = false) =>
        ReadRows(carried => carried.Root, targetFor, model, skip, first, readAhead);

    /// <summary>
    /// The values as rows, each message read by the schema it carries, its root read as the struct of that schema
    /// <paramref name="rootFor"/> picks (as capnp convert takes a type); the carried root reads inferred records with
    /// their original names and .NET types, another struct by its Cap'n Proto field names.
    /// </summary>
    /// <exception cref="NoCarriedSchemaException">The first message carries no schema (thrown by the enumeration).</exception>
    public IEnumerable<object> ReadRows(Func<CarriedSchema, StructSchema> rootFor, Func<StructSchema, FieldPath?> targetFor, ObjectModel model, long skip = 0, long first = long.MaxValue, bool readAhead = false)
    {
        ArgumentNullException.ThrowIfNull(rootFor);
        ArgumentNullException.ThrowIfNull(targetFor);
        ArgumentNullException.ThrowIfNull(model);
        return Read(new CarriedPlans(_file, rootFor, targetFor, model).For, skip, first, readAhead);
    }

    private static IEnumerable<T> Flatten<T>(IEnumerable<List<T>> batches)
    {
        foreach (var batch in batches)
            foreach (var value in batch)
                yield return value;
    }

    // Each batch is a new list (a read-ahead consumer may still hold the one before).
    private IEnumerable<List<T>> Batches<T>(Func<MessageFileInfo, MessagePlan<T>> planFor, long skip, long first)
    {
        long remaining = _traversalLimit;
        var messages = _messages;
        for (int m = 0; m < messages.Count; m++)
        {
            if (first <= 0) yield break;
            var message = messages[m];
            Fraction = (double)m / messages.Count;
            _current?.Dispose();
            var plan = planFor(message);
            // As deep as the message's schema lets it nest: a file written with -Depth 100 nests deeper than
            // Cap'n Proto's default of 64 levels, and still reads back (a schema bounds it, SchemaNesting).
            var options = new ReaderOptions { TraversalLimitInWords = remaining, NestingLimit = NestingLimitFor(plan.Root) };
            var reader = _current = _file.ReadMessage(message.Index, options);
            var selection = OverBudgetSaid(() => reader.ReadConsistent(() => Selection.Of(reader.GetRoot(), plan.Root, plan.Target)));
            if (skip >= selection.Count)
            {
                skip -= selection.Count;
                remaining = reader.TraversalRemaining;
                continue;
            }
            long end = Math.Min(selection.Count, skip + first);
            for (long i = skip; i < end;)
            {
                long from = i, to = Math.Min(end, i + BatchSize);
                var batch = OverBudgetSaid(() => reader.ReadConsistent(() => DecodeBatch(plan, selection, from, to)));
                yield return batch;
                i = to;
                Fraction = (m + (double)i / selection.Count) / messages.Count;
            }
            first -= end - skip;
            skip = 0;
            remaining = reader.TraversalRemaining;
        }
        Fraction = 1;
    }

    // Messages of one schema share its plan's root: the walk of the schema is made once for them.
    private int NestingLimitFor(StructSchema root)
    {
        if (!ReferenceEquals(root, _nestingRoot))
        {
            _nestingLimit = SchemaNesting.LimitFor(root);
            _nestingRoot = root;
        }
        return _nestingLimit;
    }

    private StructSchema? _nestingRoot;
    private int _nestingLimit;

    // The reader's own message names ReaderOptions; this one names the budget of the file and what raises it.
    private T OverBudgetSaid<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (CapnpTraversalLimitException e)
        {
            throw new CapnpTraversalLimitException(
                $"'{_file.Path}' needs more than its traversal budget of {_traversalLimit:N0} words (by default the file's words plus " +
                $"{TraversalSlackInWords:N0}): it claims more values than it stores (elements of zero size), or its pointers share or loop. " +
                "Raise the limit (Import-CapnpMessage -TraversalLimit) only for a file you trust.", e);
        }
    }

    private static List<T> DecodeBatch<T>(MessagePlan<T> plan, Selection selection, long from, long to)
    {
        int count = (int)(to - from);
        if (plan.Batch is { } makeBatch)
        {
            var records = makeBatch(count);
            for (long j = from; j < to; j++) records.Add(selection.Struct(j), selection.Schema);
            return records.Complete();
        }
        var batch = new List<T>(count);
        for (long j = from; j < to; j++) batch.Add(plan.Decode(selection.Struct(j), selection.Schema));
        return batch;
    }

    /// <summary>What a target selects in one message: how many structs, their schema, and how to reach the i-th.</summary>
    private readonly struct Selection
    {
        private readonly ListReader _list;
        private readonly StructReader _single;
        private readonly bool _isList;

        private Selection(long count, StructSchema schema, ListReader list, StructReader single, bool isList)
        {
            Count = count;
            Schema = schema;
            _list = list;
            _single = single;
            _isList = isList;
        }

        public long Count { get; }
        public StructSchema Schema { get; }

        public StructReader Struct(long index) => _isList ? _list.GetStruct(checked((int)index)) : _single;

        public static Selection Of(StructReader root, StructSchema rootSchema, FieldPath? target)
        {
            if (target is null) return new Selection(1, rootSchema, default, root, false);
            var element = target.ElementSchema;
            var none = new Selection(0, element, default, default, false);
            var current = root;
            var fields = target.Fields;
            for (int i = 0; i < fields.Count - 1; i++)
            {
                if (!IsSelected(current, fields[i])) return none; // another union member is set: nothing there
                if (!fields[i].IsGroup) current = current.ReadStruct(checked((int)fields[i].Offset));
            }
            var last = target.Field;
            if (!IsSelected(current, last)) return none;
            if (!target.IsList)
            {
                var single = last.IsGroup ? current : current.ReadStruct(checked((int)last.Offset));
                return !last.IsGroup && single.IsNull ? none : new Selection(1, element, default, single, false);
            }
            var list = current.ReadList(checked((int)last.Offset));
            return new Selection(list.Count, element, list, default, true);
        }

        private static bool IsSelected(StructReader reader, FieldSchema field) =>
            !field.IsInUnion || reader.ReadUInt16(checked((int)field.DeclaringStruct.DiscriminantOffset)) == field.DiscriminantValue;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
        _file.Dispose();
    }
}
