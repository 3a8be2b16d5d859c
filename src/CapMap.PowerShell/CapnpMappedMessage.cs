using System.Management.Automation;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Objects;
using CapMap.PowerShell.Commands;
using CapMap.PowerShell.Internal;
using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.PowerShell;

/// <summary>Where an open message stands.</summary>
public enum CapnpMessageState
{
    /// <summary>Records can be added.</summary>
    Open,

    /// <summary>Complete-CapnpMappedMessage finished it: the file is an ordinary message.</summary>
    Completed,

    /// <summary>Disposed without completing: the file holds everything added, as a checkpoint.</summary>
    Closed,

    /// <summary>Growing the file failed (disk full, size limit, ...): the file keeps its last checkpoint.</summary>
    Failed,
}

/// <summary>
/// A message being built in a growing mapped file, as New-CapnpMappedMessage returns it. Holds the core
/// builder, the root struct, the schema and the open streaming list. Dispose it (or complete it) when done:
/// disposing without completing keeps every record added so far as a checkpoint, so nothing is lost.
/// Not thread-safe: use it from one pipeline at a time.
/// </summary>
public sealed class CapnpMappedMessage : IDisposable
{
    private readonly MappedMessageBuilder _builder;
    private readonly StructBuilder _root;
    // Structs created on the way to a -Field target, with the stream that was open when they were created: a
    // mapped arena moves the segments after an open stream when the stream outgrows its gap, so a struct
    // created while a list was streaming is only usable until that list gets its next element.
    private readonly Dictionary<string, (StructBuilder Builder, int Stream, long Appends)> _structs = new(StringComparer.Ordinal);
    private readonly List<long> _streamAppends = new(); // appends per stream opened, by serial
    private int _streamSerial = -1;
    private readonly HashSet<string> _completedLists = new(StringComparer.Ordinal);
    private readonly Dictionary<(ulong, bool), StructWriter> _writers = new();
    private StreamingStructListBuilder? _list;
    private string? _listPath;
    private CapnpMessageSummary? _summary;
    private bool _closed;

    private CapnpMappedMessage(MappedMessageBuilder builder, CapnpSchema schema, StructSchema rootSchema)
    {
        _builder = builder;
        Schema = schema;
        RootSchema = rootSchema;
        _root = builder.InitRoot(rootSchema.DataWordCount, rootSchema.PointerCount);
    }

    /// <summary>
    /// Creates the file and the root struct, and writes <paramref name="rootProperties"/> (if any) into the root.
    /// The properties are converted into a scratch heap message first, so bad values never leave a file behind.
    /// </summary>
    internal static CapnpMappedMessage Create(string path, CapnpSchema schema, StructSchema rootSchema,
        MappedMessageOptions options, object? rootProperties, bool strict)
    {
        var writerOptions = PSObjectPropertyAccessor.Options(strict);
        if (rootProperties is not null)
        {
            CheckRootProperties(rootSchema, rootProperties);
            using var scratch = new HeapSegmentArena();
            var heap = new MessageBuilder(scratch);
            try
            {
                new StructWriter(rootSchema, writerOptions).Write(heap.InitRoot(rootSchema.DataWordCount, rootSchema.PointerCount), rootProperties);
            }
            catch (CapnpValueException e)
            {
                throw new CapMapErrorException(ErrorIds.PropertyConversionFailed, ErrorCategory.InvalidData,
                    $"-Property cannot be written into root type {rootSchema.NestedName}: {e.Message}", rootProperties, e);
            }
        }

        var builder = MappedMessageBuilder.Create(path, options);
        try
        {
            var message = new CapnpMappedMessage(builder, schema, rootSchema);
            if (rootProperties is not null)
                message.GetWriter(rootSchema, strict).Write(message._root, rootProperties);
            // A first checkpoint (the root, no records; not flushed, so it costs a header write): a failure
            // before any other checkpoint (disk full, size limit, kill) then leaves a valid message, not an empty table.
            builder.Checkpoint(flush: false);
            return message;
        }
        catch
        {
            builder.Dispose();
            throw;
        }
    }

    /// <summary>Root properties may not name List(Struct) fields: those are streamed with Add-CapnpStruct.</summary>
    private static void CheckRootProperties(StructSchema root, object properties)
    {
        foreach (string name in PSObjectPropertyAccessor.Instance.GetNames(PSObjectPropertyAccessor.Unwrap(properties) ?? properties))
        {
            if (root.TryGetField(name, out var f) && !f.IsGroup && f.Type.Kind == TypeKind.List && f.Type.ElementType?.Kind == TypeKind.Struct)
            {
                throw new CapMapErrorException(ErrorIds.PropertyConversionFailed, ErrorCategory.InvalidArgument,
                    $"-Property sets '{f.Name}', a {f.Type}; add its elements with Add-CapnpStruct -Field {f.Name} instead.", properties);
            }
        }
    }

    /// <summary>The full path of the message file.</summary>
    public string Path => _builder.Path;

    public CapnpSchema Schema { get; }

    /// <summary>The root struct's schema.</summary>
    public StructSchema RootSchema { get; }

    /// <summary>The root struct's name, e.g. <c>Batch</c>.</summary>
    public string RootType => RootSchema.NestedName;

    public CapnpMessageState State =>
        _summary is not null ? CapnpMessageState.Completed
        : _closed ? CapnpMessageState.Closed
        : _builder.IsFailed ? CapnpMessageState.Failed
        : CapnpMessageState.Open;

    /// <summary>Bytes from the start of the file to the last word written.</summary>
    public long UsedBytes => _summary?.Bytes ?? (_closed ? 0 : _builder.UsedBytes);

    /// <summary>Bytes the file has been grown to so far.</summary>
    public long CommittedBytes => _summary?.Bytes ?? (_closed ? 0 : _builder.CommittedBytes);

    public int SegmentCount => _summary?.SegmentCount ?? _builder.SegmentCount;

    /// <summary>SIGBUS faults the growth handler served for this file.</summary>
    public long FaultCount => _summary?.FaultCount ?? _builder.FaultCount;

    /// <summary>Records appended to streaming lists so far.</summary>
    public long RecordCount => _summary?.RecordCount ?? _builder.AppendedCount;

    /// <summary>The field path of the list currently open for appending (null if none).</summary>
    public string? OpenList => _listPath;

    /// <summary>The last checkpoint written (Save-CapnpMappedMessage), or null.</summary>
    public CheckpointRecord? LastCheckpoint => _builder.LastCheckpoint;

    /// <summary>What Complete-CapnpMappedMessage returned, once completed.</summary>
    public CapnpMessageSummary? Summary => _summary;

    public override string ToString() => $"{RootType} message {Path} ({State})";

    internal void ThrowIfNotOpen()
    {
        switch (State)
        {
            case CapnpMessageState.Completed:
                throw new CapMapErrorException(ErrorIds.MessageClosed, ErrorCategory.InvalidOperation,
                    $"The message '{Path}' is already complete; nothing more can be added.", this);
            case CapnpMessageState.Closed:
                throw new CapMapErrorException(ErrorIds.MessageClosed, ErrorCategory.InvalidOperation,
                    $"The message '{Path}' was disposed; the file holds what was added as a checkpoint. Create a new message to write more.", this);
            case CapnpMessageState.Failed:
                _builder.ThrowIfFailed(); // throws MappedMessageFailedException with the details
                break;
        }
    }

    /// <summary>Throws MappedMessageFailedException if growing the file failed since the last check.</summary>
    internal void ThrowIfFailed() => _builder.ThrowIfFailed();

    private StructWriter GetWriter(StructSchema schema, bool strict)
    {
        if (!_writers.TryGetValue((schema.Id, strict), out var writer))
        {
            writer = new StructWriter(schema, PSObjectPropertyAccessor.Options(strict));
            _writers[(schema.Id, strict)] = writer;
        }
        return writer;
    }

    /// <summary>
    /// Writes one input into <paramref name="target"/>: appends it to the list, or sets the struct. A value that
    /// cannot be converted throws <see cref="CapnpValueException"/> and leaves no element behind.
    /// </summary>
    internal void Write(FieldTarget target, object input, bool strict)
    {
        try
        {
            WriteCore(target, input, strict);
        }
        catch (MappedFileFailedException)
        {
            _builder.ThrowIfFailed(); // the same failure, with the checkpoint the file keeps
            throw;
        }
    }

    private void WriteCore(FieldTarget target, object input, bool strict)
    {
        if (target.IsList)
        {
            var list = GetList(target);
            _streamAppends[_streamSerial]++; // counted before appending: even a failed element may have moved segments
            GetWriter(target.ElementSchema, strict).Append(list, input); // removes the element again on failure
            return;
        }

        var fields = target.Fields;
        if (!target.Field.IsGroup)
        {
            var writer = GetWriter(target.ElementSchema, strict);
            ValidateOnScratch(writer, target.ElementSchema, input); // a bad value must not leave the struct half-written
            var parent = Navigate(target, fields.Count - 1);
            SelectUnionMember(parent, target.Field);
            _builder.PreservePointerForRepair(parent, checked((int)target.Field.Offset));
            var child = parent.InitStruct(checked((int)target.Field.Offset), target.ElementSchema.DataWordCount, target.ElementSchema.PointerCount);
            writer.Write(child, input);
            Remember(target.Path, child); // lists below it are opened in this struct from now on
            return;
        }

        // A group lives in the sections of the struct that holds it: write { group = input } into that struct
        // (absent fields are left alone, and the writer selects union members on the way).
        int holder = fields.Count - 1;
        while (holder >= 0 && fields[holder].IsGroup) holder--;
        var holderSchema = holder < 0 ? RootSchema : fields[holder].Type.StructType!;
        object wrapped = input;
        for (int j = fields.Count - 1; j > holder; j--)
            wrapped = new System.Collections.Hashtable(StringComparer.OrdinalIgnoreCase) { [fields[j].Name] = wrapped };
        var holderWriter = GetWriter(holderSchema, strict);
        ValidateOnScratch(holderWriter, holderSchema, wrapped);
        holderWriter.Write(Navigate(target, holder + 1), wrapped);
    }

    private static void ValidateOnScratch(StructWriter writer, StructSchema schema, object input)
    {
        using var scratch = new HeapSegmentArena();
        var heap = new MessageBuilder(scratch);
        writer.Write(heap.InitRoot(schema.DataWordCount, schema.PointerCount), input);
    }

    private StreamingStructListBuilder GetList(FieldTarget target)
    {
        if (_list is not null && _listPath == target.Path) return _list;
        if (_completedLists.Contains(target.Path))
        {
            throw new CapMapErrorException(ErrorIds.ListAlreadyCompleted, ErrorCategory.InvalidOperation,
                $"The list '{target.Path}' was closed when records were added to another list; a mapped message streams one list " +
                "at a time, so add all records of a list before moving to the next.", target.Path);
        }
        var parent = Navigate(target, target.Fields.Count - 1);
        SelectUnionMember(parent, target.Field);
        var element = target.ElementSchema;
        // One streaming list at a time: the previous one is finished (its records stay) before the next opens.
        if (_list is not null)
        {
            _list.Complete();
            _completedLists.Add(_listPath!);
        }
        _list = null;
        _listPath = null;
        _list = _builder.OpenStructList(parent, checked((int)target.Field.Offset), element.DataWordCount, element.PointerCount);
        _listPath = target.Path;
        _streamAppends.Add(0);
        _streamSerial = _streamAppends.Count - 1;
        return _list;
    }

    /// <summary>The builder of the struct that holds field <paramref name="count"/> of the path (structs on the way are created once).</summary>
    private StructBuilder Navigate(FieldTarget target, int count)
    {
        var current = _root;
        string path = "";
        for (int i = 0; i < count; i++)
        {
            var field = target.Fields[i];
            path = path.Length == 0 ? field.Name : path + "." + field.Name;
            SelectUnionMember(current, field);
            if (field.IsGroup) continue;
            if (_structs.TryGetValue(path, out var known))
            {
                if (known.Stream >= 0 && _streamAppends[known.Stream] != known.Appends)
                {
                    throw new CapMapErrorException(ErrorIds.FieldOrderNotSupported, ErrorCategory.InvalidOperation,
                        $"'{path}' was created while records were streaming into another list, and more records were added after it, " +
                        $"which moved it in the file; '{target.Path}' cannot be reached through it any more. Write '{path}' and what lies " +
                        "under it before streaming another list, or after moving on from it.", target.Path);
                }
                current = known.Builder;
                continue;
            }
            var schema = field.Type.StructType!;
            _builder.PreservePointerForRepair(current, checked((int)field.Offset));
            current = current.InitStruct(checked((int)field.Offset), schema.DataWordCount, schema.PointerCount);
            Remember(path, current);
        }
        return current;
    }

    private void Remember(string path, StructBuilder builder)
    {
        int stream = _list is not null ? _streamSerial : -1;
        _structs[path] = (builder, stream, stream >= 0 ? _streamAppends[stream] : 0);
    }

    private static void SelectUnionMember(StructBuilder builder, FieldSchema field)
    {
        if (field.IsInUnion)
            builder.WriteUInt16(checked((int)field.DeclaringStruct.DiscriminantOffset), field.DiscriminantValue);
    }

    /// <summary>Writes a checkpoint: the file becomes a valid message of everything added so far.</summary>
    public CheckpointRecord Checkpoint() => Checkpoint(flush: true);

    /// <summary>A checkpoint; without <paramref name="flush"/> it survives a crash or kill of this process (the page cache keeps it), not a power loss.</summary>
    public CheckpointRecord Checkpoint(bool flush)
    {
        ThrowIfNotOpen();
        return _builder.Checkpoint(flush);
    }

    /// <summary>Finishes the message; the file is closed afterwards.</summary>
    public CapnpMessageSummary Complete(bool flush = true)
    {
        ThrowIfNotOpen();
        var summary = _builder.Complete(flush);
        _summary = new CapnpMessageSummary(summary, RootType, DateTime.Now);
        _list = null;
        return _summary;
    }

    /// <summary>Without Complete: keeps what was added (final checkpoint). After a failure: restores the last checkpoint.</summary>
    public void Dispose()
    {
        if (_closed || _summary is not null) return;
        try
        {
            _builder.Dispose();
        }
        finally
        {
            _closed = true;
            _list = null;
        }
    }
}
