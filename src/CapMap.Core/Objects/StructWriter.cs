using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects;

/// <summary>
/// Writes arbitrary .NET objects (hashtables, dictionaries, <see cref="StructValue"/>s, PowerShell objects through
/// an accessor, any object with properties) into a struct, guided by its schema. The per-field plan is compiled
/// once in the constructor; <see cref="Write"/> is the per-record path. Thread-safe: one writer may be used by
/// several threads at once (each writing its own target).
/// </summary>
/// <remarks>
/// <para><b>Matching.</b> Fields are looked up by name, case-insensitively, through <see cref="ObjectWriterOptions.Adapter"/>.
/// A missing property, or one whose value is null, leaves the field at its default: nothing is written (the target must
/// be freshly allocated, i.e. zeroed, which every builder's Init/Append gives). Properties the schema does not know are
/// ignored, or rejected with <see cref="ObjectWriterOptions.Strict"/>.</para>
/// <para><b>Empty strings</b> (empty or blank, as in an empty CSV cell) count as "no value" for number, Bool, enum,
/// struct, group and list fields, and for every union member (so a CSV row selects only its one non-empty member);
/// outside unions they are values for Text and Data (an empty text or blob).</para>
/// <para><b>Bool</b>: bool; strings true/false, 1/0, yes/no (case-insensitive, trimmed); the numbers 0 and 1.</para>
/// <para><b>Integers</b>: any .NET number, range-checked (<c>300 is out of range for UInt8</c>); floats and decimals only
/// when integral (2.0 is fine, 2.5 is an error: no rounding, no truncation); strings in invariant culture (<c>"-12"</c>,
/// <c>"0x1F"</c>, <c>"-0x1F"</c>, <c>"2.0"</c>, <c>"1e3"</c>); .NET enums by their numeric value; DateTime and DateTimeOffset
/// as 100 ns ticks since 1970-01-01 UTC, TimeSpan as ticks (the inferred schemas' units). Bools and chars are not numbers.</para>
/// <para><b>Floats</b>: any .NET number (integers convert, possibly rounding to the nearest float); strings in invariant
/// culture, plus <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>, <c>inf</c>; a TimeSpan as seconds; a finite value too large
/// for Float32 is an error.</para>
/// <para><b>Enums</b>: an enumerant name (case-insensitive), a .NET enum value by its name, or a number / numeric
/// string that must be a <i>defined</i> enumerant's ordinal (unknown ordinals are rejected even though the wire could hold them).</para>
/// <para><b>Text</b>: strings; also chars, Bools (<c>true</c>/<c>false</c>), numbers (invariant, round-trippable) and
/// .NET enums (name); DateTime and DateTimeOffset in the ISO 8601 round-trip form, TimeSpan, Guid, Version, Uri and
/// IPAddress as the type table writes them. Anything else is an error: format it as a string first.</para>
/// <para><b>Data</b>: byte[], ArraySegment/Memory/ReadOnlyMemory of bytes, a Guid (RFC 4122 order), any list of numbers 0..255, or a string,
/// which is decoded as <b>base64</b>.</para>
/// <para><b>Structs</b>: a nested object (anything the accessor reads; not a string, number or plain list).
/// <b>Groups</b> (including named unions) are nested objects too: <c>@{ location = @{ lat = 1; lon = 2 } }</c>; their members
/// are not accepted flattened into the parent.</para>
/// <para><b>Unions</b>: the member whose property is present and non-null is chosen (its discriminant is written); two
/// present members are an error naming both; none leaves the union at its default member. A Void member is selected
/// by any non-null, non-blank value (<c>$true</c>, <c>"x"</c>, …).</para>
/// <para><b>Lists</b>: any IEnumerable except strings and dictionaries; any other value is a one-element list (PowerShell
/// unrolls one-element arrays); byte[]
/// for List(UInt8) too. Elements follow the rules of their type; a null element is an error in a primitive list, a
/// null pointer in a Text/Data/List list and an all-default struct in a struct list. Typed arrays (int[], string[], …)
/// take a fast path.</para>
/// <para><b>Pointer defaults</b>: an absent Text/Data/struct/list field leaves the pointer null, so readers return the
/// schema's default. <b>AnyPointer</b> and <b>interface</b> fields cannot be set: any non-null value is an error.</para>
/// <para>Errors are <see cref="CapnpValueException"/>s whose <see cref="CapnpValueException.FieldPath"/> names the field
/// (<c>location.lat</c>, <c>structList[2].tags[0]</c>). A property getter that throws reads as null (as Select-Object
/// shows it); exceptions thrown by a custom accessor itself propagate unchanged. After an error the target holds the fields written before it; discard it (for a streaming list,
/// <see cref="Append"/> removes the element).</para>
/// </remarks>
public sealed class StructWriter : IElementWriter
{
    private readonly StructPlan _plan;
    private readonly Func<object?, object?>? _unwrap;

    /// <summary>Compiles the plan for <paramref name="schema"/> (a struct, not a group).</summary>
    public StructWriter(StructSchema schema, ObjectWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.IsGroup)
            throw new ArgumentException($"{schema.DisplayName} is a group; groups are written as part of their struct.", nameof(schema));
        Schema = schema;
        Options = options ?? new ObjectWriterOptions();
        if (Options.Adapter is null) throw new ArgumentException("ObjectWriterOptions.Adapter must not be null.", nameof(options));
        _unwrap = Options.Unwrap;
        _plan = new PlanCompiler(Options).GetStructPlan(schema);
    }

    /// <summary>The struct this writer writes.</summary>
    public StructSchema Schema { get; }

    /// <summary>How input objects are read and checked.</summary>
    public ObjectWriterOptions Options { get; }

    /// <summary>
    /// Writes <paramref name="source"/>'s properties into <paramref name="target"/>, a freshly allocated (zeroed) struct
    /// with at least the schema's data words and pointers.
    /// </summary>
    /// <exception cref="CapnpValueException">A value cannot be converted, or violates a rule listed on the class.</exception>
    public void Write(StructBuilder target, object source)
    {
        if (target.IsNull) throw new ArgumentException("The target struct is null.", nameof(target));
        if (target.DataWordCount < Schema.DataWordCount || target.PointerCount < Schema.PointerCount)
            throw new ArgumentException(
                $"The target struct ({target.DataWordCount} data words, {target.PointerCount} pointers) is smaller than {Schema.DisplayName} " +
                $"({Schema.DataWordCount} data words, {Schema.PointerCount} pointers).", nameof(target));
        ArgumentNullException.ThrowIfNull(source);
        object? value = _unwrap is null ? source : _unwrap(source);
        if (value is null) throw new CapnpValueException("", source, $"the object to write as {Schema.ShortName} is null");
        _plan.Write(in target, value);
    }

    /// <summary>
    /// Writes <paramref name="source"/> into a throwaway heap message: a value that cannot be converted throws
    /// here, so a caller that writes into a real message afterwards never leaves a struct half-written.
    /// </summary>
    /// <exception cref="CapnpValueException">As <see cref="Write"/>.</exception>
    public void Validate(object source)
    {
        using var scratch = new HeapSegmentArena();
        WriteRoot(new MessageBuilder(scratch), source);
    }

    /// <summary>Allocates the message's root struct with this schema's size and writes <paramref name="source"/> into it.</summary>
    public StructBuilder WriteRoot(MessageBuilder message, object source)
    {
        ArgumentNullException.ThrowIfNull(message);
        var root = message.InitRoot(Schema.DataWordCount, Schema.PointerCount);
        Write(root, source);
        return root;
    }

    /// <summary>
    /// Appends an element to a streaming list of this struct and writes <paramref name="source"/> into it. If writing
    /// fails, the element is removed again (the list is unchanged) and the exception propagates.
    /// </summary>
    public StructBuilder Append(StreamingStructListBuilder list, object source)
    {
        ArgumentNullException.ThrowIfNull(list);
        return AppendFilled(list, this, source);
    }

    /// <summary>
    /// Appends an element to <paramref name="list"/> and lets <paramref name="writer"/> write <paramref name="source"/>
    /// into it; if that throws, the element is taken back (the list is as before) and the exception propagates.
    /// </summary>
    /// <remarks>
    /// The per-record step of every export, so it is not generic: the list's <c>Append&lt;TState&gt;</c> over a value
    /// tuple of the writer and the source is an instantiation over a type of the runtime's, which ReadyToRun cannot
    /// precompile, and a short export ran it as unoptimised tier-0 code for every record (docs/benchmarks.md).
    /// </remarks>
    internal static StructBuilder AppendFilled(StreamingStructListBuilder list, IElementWriter writer, object? source)
    {
        var element = list.Append();
        try
        {
            writer.Write(element, source);
        }
        catch
        {
            list.RemoveLast();
            throw;
        }
        return element;
    }

    void IElementWriter.Write(StructBuilder element, object? source) => Write(element, source!);
}
