using System.Collections;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Objects.Codecs;
using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects;

/// <summary>
/// A schema-driven message being built in a growing mapped file, written with .NET objects: owns the
/// <see cref="MappedMessageBuilder"/>, the root struct, the one open streaming list and the structs created on
/// the way to a <see cref="FieldPath"/>. Each record is written to a list (appended) or a struct or group (set);
/// a record that cannot be converted throws <see cref="CapnpValueException"/> and leaves nothing behind.
/// </summary>
/// <remarks>
/// <para>Unions on a path are selected as the path passes through them; groups are written into the struct that
/// holds them. Structs a path creates are kept so later paths through them reuse them; one created while a list
/// was streaming may be moved by the arena when that list grows (<see cref="ISegmentArena.GetMoveEpoch"/>), and
/// a path through it afterwards throws <see cref="MovedStructException"/> instead of writing through a stale builder.</para>
/// <para>Records are written through the <see cref="RecordCodec"/> the schema calls for (chosen by Core from the
/// resolved schema), which reads input objects through its <see cref="ObjectModel"/>'s <see cref="Schema.Inference.ObjectAdapter"/>: the seam where callers (the
/// PowerShell module) plug in their own object model. Not thread-safe.</para>
/// </remarks>
public sealed class ObjectMessageWriter : IDisposable
{
    private StructBuilder _root;
    private readonly Dictionary<string, (StructBuilder Builder, long MoveEpoch)> _structs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _completedLists = new(StringComparer.Ordinal);
    private StreamingStructListBuilder? _list;

    private ObjectMessageWriter(MappedMessageBuilder builder, RecordCodec codec)
    {
        Builder = builder;
        Codec = codec;
        _root = builder.InitRoot(codec.Root.DataWordCount, codec.Root.PointerCount);
    }

    /// <summary>
    /// Creates the file and the root struct, and writes <paramref name="rootProperties"/> (if any) into the root.
    /// The properties are checked on a scratch heap message first, so bad values never leave a file behind.
    /// </summary>
    /// <exception cref="RootPropertiesException">A root value does not convert, or names a List(Struct) field.</exception>
    public static ObjectMessageWriter Create(string path, MappedMessageOptions messageOptions, StructSchema rootSchema,
        object? rootProperties, ObjectWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = ObjectModel.Default with { Adapter = options.Adapter };
        return Create(path, messageOptions, new ExplicitRecordCodec(rootSchema, model), rootProperties, options.Strict);
    }

    /// <summary>
    /// Creates the file, carrying <paramref name="schema"/>, with root <paramref name="root"/>, and writes
    /// <paramref name="rootProperties"/> (if any) into the root; records are written by the codec the schema calls
    /// for (<see cref="RecordCodec.For"/>). The properties are checked first, so bad values never leave a file behind.
    /// </summary>
    /// <exception cref="RootPropertiesException">A root value does not convert, or names a List(Struct) field.</exception>
    public static ObjectMessageWriter Create(string path, MappedMessageOptions messageOptions, ResolvedSchema schema, StructSchema root,
        object? rootProperties, ObjectModel model, bool strict)
    {
        ArgumentNullException.ThrowIfNull(messageOptions);
        var carrying = messageOptions with { Schema = CarriedSchema.For(schema, root) };
        return Create(path, carrying, RecordCodec.For(schema, root, model), rootProperties, strict);
    }

    private static ObjectMessageWriter Create(string path, MappedMessageOptions messageOptions, RecordCodec codec, object? rootProperties, bool strict)
    {
        if (rootProperties is not null) CheckRootProperties(codec, rootProperties, strict);

        var builder = MappedMessageBuilder.Create(path, messageOptions);
        try
        {
            var message = new ObjectMessageWriter(builder, codec);
            if (rootProperties is not null) codec.WriterFor(codec.Root, strict).Write(message._root, rootProperties);
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

    /// <summary>Root values may not name List(Struct) fields (those are streamed), and must convert.</summary>
    private static void CheckRootProperties(RecordCodec codec, object properties, bool strict)
    {
        var root = codec.Root;
        object source = codec.Model.Unwrap?.Invoke(properties) ?? properties;
        foreach (string name in codec.Model.Adapter.GetNames(source))
        {
            if (root.TryGetField(name, out var f) && FieldPath.IsStructList(f))
                throw new RootPropertiesException(root, f);
        }
        try
        {
            codec.WriterFor(root, strict).Validate(properties);
        }
        catch (CapnpValueException e)
        {
            throw new RootPropertiesException(root, e);
        }
    }

    /// <summary>The mapped message: file, sizes, checkpoints, completion. A new one after a full list went on in the next message.</summary>
    public MappedMessageBuilder Builder { get; private set; }

    /// <summary>The root struct's schema.</summary>
    public StructSchema RootSchema => Codec.Root;

    /// <summary>How records become structs (and come back); <see cref="Write"/> chooses strictness per call.</summary>
    public RecordCodec Codec { get; private set; }

    /// <summary>The list records go to when the caller names none (an inferred schema's records); null when the caller picks.</summary>
    public FieldPath? Records => Codec.Records;

    /// <summary>True if any value, not only an object with properties, is a record of <paramref name="target"/>.</summary>
    public bool TakesAnyValue(FieldPath target) => Codec.TakesAnyValue(target);

    /// <summary>The field path of the list currently open for appending (null if none).</summary>
    public string? OpenList { get; private set; }

    /// <summary>
    /// Writes one input into <paramref name="target"/>: appends it to the list, or sets the struct or group.
    /// <paramref name="strict"/> rejects properties the struct does not have.
    /// </summary>
    /// <exception cref="CapnpValueException">The input cannot be converted; nothing of it was written.</exception>
    /// <exception cref="ListAlreadyCompletedException">The target list was closed when another list was streamed.</exception>
    /// <exception cref="MovedStructException">The path passes through a struct that may have moved.</exception>
    /// <exception cref="MappedMessageFailedException">Growing the file failed; the file keeps its last checkpoint.</exception>
    public void Write(FieldPath target, object input, bool strict)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(input);
        if (!ReferenceEquals(target.Root, RootSchema))
            throw new ArgumentException($"The field path '{target}' starts at {target.Root.NestedName}, not at this message's root {RootSchema.NestedName}.", nameof(target));
        try
        {
            if (target.IsList) Append(target, input, strict);
            else if (target.Field.IsGroup) SetGroup(target, input, strict);
            else SetStruct(target, input, strict);
        }
        catch (MappedFileFailedException)
        {
            Builder.ThrowIfFailed(); // the same failure, with the checkpoint the file keeps
            throw;
        }
    }

    /// <summary>
    /// Appends one element to the list <paramref name="target"/> and lets <paramref name="write"/> fill it (a writer
    /// of another kind than the schema-driven one, such as an inferred schema's record codec). If
    /// <paramref name="write"/> throws, the element is removed again and the exception propagates.
    /// </summary>
    /// <exception cref="ArgumentException">The target is not a list of this message's root.</exception>
    /// <exception cref="MappedMessageFailedException">Growing the file failed; the file keeps its last checkpoint.</exception>
    public void Append(FieldPath target, Action<StructBuilder> write)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(write);
        if (!ReferenceEquals(target.Root, RootSchema) || !target.IsList)
            throw new ArgumentException($"The field path '{target}' is not a list of this message's root {RootSchema.NestedName}.", nameof(target));
        try
        {
            GetList(target).Append(write);
        }
        catch (MappedFileFailedException)
        {
            Builder.ThrowIfFailed();
            throw;
        }
    }

    private void Append(FieldPath target, object input, bool strict) =>
        Codec.Append(GetList(target), target, input, strict); // removes the element again on failure

    private void SetStruct(FieldPath target, object input, bool strict)
    {
        var writer = Codec.WriterFor(target.ElementSchema, strict);
        writer.Validate(input); // a bad value must not leave the struct half-written
        var parent = Navigate(target, target.Fields.Count - 1);
        SelectUnionMember(parent, target.Field);
        int pointer = checked((int)target.Field.Offset);
        Builder.PreservePointerForRepair(parent, pointer);
        var child = parent.InitStruct(pointer, target.ElementSchema.DataWordCount, target.ElementSchema.PointerCount);
        writer.Write(child, input);
        Remember(target.Path, child); // lists below it are opened in this struct from now on
    }

    /// <summary>
    /// A group lives in the sections of the struct that holds it: writes { group = input } into that struct
    /// (absent fields are left alone, and the writer selects union members on the way).
    /// </summary>
    private void SetGroup(FieldPath target, object input, bool strict)
    {
        var fields = target.Fields;
        int holder = fields.Count - 1;
        while (holder >= 0 && fields[holder].IsGroup) holder--;
        var holderSchema = holder < 0 ? RootSchema : fields[holder].Type.StructType!;
        object wrapped = input;
        for (int j = fields.Count - 1; j > holder; j--)
            wrapped = new Hashtable(StringComparer.OrdinalIgnoreCase) { [fields[j].Name] = wrapped };
        var writer = Codec.WriterFor(holderSchema, strict);
        writer.Validate(wrapped);
        writer.Write(Navigate(target, holder + 1), wrapped);
    }

    private StreamingStructListBuilder GetList(FieldPath target)
    {
        if (_list is not null && OpenList == target.Path) return _list.IsFull ? ContinueInNextMessage() : _list;
        if (_completedLists.Contains(target.Path)) throw new ListAlreadyCompletedException(target.Path);
        var parent = Navigate(target, target.Fields.Count - 1);
        SelectUnionMember(parent, target.Field);
        // One streaming list at a time: the previous one is finished (its records stay) before the next opens.
        if (_list is not null)
        {
            _list.Complete();
            _completedLists.Add(OpenList!);
        }
        _list = null;
        OpenList = null;
        var element = target.ElementSchema;
        _list = Builder.OpenStructList(parent, checked((int)target.Field.Offset), element.DataWordCount, element.PointerCount);
        OpenList = target.Path;
        return _list;
    }

    /// <summary>
    /// The open list is full (a list cannot outgrow one segment): the records go on in the next message of the
    /// file, whose root is a copy of this one's (<see cref="MappedMessageBuilder.ContinueInNextMessage"/>). The
    /// structs kept for later paths are swapped for their copies; one that may have moved stays as it was, so a
    /// path through it still throws <see cref="MovedStructException"/>. Not flushed, like the periodic checkpoints.
    /// </summary>
    private StreamingStructListBuilder ContinueInNextMessage()
    {
        var current = _structs.Where(known => known.Value.Builder.MoveEpoch == known.Value.MoveEpoch).ToArray();
        var next = Builder.ContinueInNextMessage(flush: false, current.Select(known => known.Value.Builder).ToArray());
        Builder = next.Builder;
        _root = next.Root;
        for (int i = 0; i < current.Length; i++)
        {
            if (next.Carried[i].IsNull) _structs.Remove(current[i].Key);
            else Remember(current[i].Key, next.Carried[i]);
        }
        _list = next.List!;
        return _list;
    }

    /// <summary>
    /// The records' schema changed (a record did not fit the one inferred so far): this message is completed and
    /// writing goes on in the next message of the file, which carries <paramref name="schema"/> and has root
    /// <paramref name="root"/>, with <paramref name="rootProperties"/> (the values given at creation) written into
    /// it again (<see cref="MappedMessageBuilder.ContinueUnderSchema"/>). Lists and structs of the old message are
    /// forgotten: paths are resolved against the new root from here on. The root values are checked before
    /// anything is completed, so a refusal leaves this message open as it was.
    /// </summary>
    /// <exception cref="RootPropertiesException">A root value does not convert to the new root (nothing changed).</exception>
    /// <exception cref="MappedMessageFailedException">Growing the file failed; the file keeps its last checkpoint.</exception>
    public void ContinueUnderSchema(ResolvedSchema schema, StructSchema root, object? rootProperties, bool strict)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(root);
        var codec = RecordCodec.For(schema, root, Codec.Model);
        if (rootProperties is not null) CheckRootProperties(codec, rootProperties, strict);
        StructBuilder newRoot = default;
        Builder = Builder.ContinueUnderSchema(CarriedSchema.For(schema, root), next =>
        {
            newRoot = next.InitRoot(root.DataWordCount, root.PointerCount);
            if (rootProperties is not null) codec.WriterFor(root, strict).Write(newRoot, rootProperties);
        }, flush: false);
        Codec = codec;
        _root = newRoot;
        _structs.Clear();
        _completedLists.Clear();
        _list = null;
        OpenList = null;
    }

    /// <summary>The builder of the struct that holds field <paramref name="count"/> of the path (structs on the way are created once).</summary>
    private StructBuilder Navigate(FieldPath target, int count)
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
                if (known.Builder.MoveEpoch != known.MoveEpoch) throw new MovedStructException(path, target.Path);
                current = known.Builder;
                continue;
            }
            var schema = field.Type.StructType!;
            int pointer = checked((int)field.Offset);
            Builder.PreservePointerForRepair(current, pointer);
            current = current.InitStruct(pointer, schema.DataWordCount, schema.PointerCount);
            Remember(path, current);
        }
        return current;
    }

    private void Remember(string path, StructBuilder builder) => _structs[path] = (builder, builder.MoveEpoch);

    private static void SelectUnionMember(StructBuilder builder, FieldSchema field)
    {
        if (field.IsInUnion)
            builder.WriteUInt16(checked((int)field.DeclaringStruct.DiscriminantOffset), field.DiscriminantValue);
    }

    /// <summary>Forgets the open list (after the message was completed or disposed).</summary>
    private void Close() => _list = null;

    /// <summary>Finishes the message (see <see cref="MappedMessageBuilder.Complete"/>); the file is closed afterwards.</summary>
    public MessageSummary Complete(bool flush = true)
    {
        var summary = Builder.Complete(flush);
        Close();
        return summary;
    }

    /// <summary>Without Complete: keeps what was added (final checkpoint). After a failure: restores the last checkpoint.</summary>
    public void Dispose()
    {
        try
        {
            Builder.Dispose();
        }
        finally
        {
            Close();
        }
    }
}
