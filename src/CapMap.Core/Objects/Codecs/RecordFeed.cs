using System.Collections;
using CapMap.Schema.Inference;

namespace CapMap.Objects.Codecs;

/// <summary>
/// One caller's records into one target of a <see cref="RecordWriterSession"/> (an Export, one Add-CapnpStruct
/// call), numbered from 0 in input order. While the session awaits its schema the records are held as the sample
/// and written, in order, once it is full or the feed ends; after that each is written as it comes. A record that
/// does not fit an inferred schema goes on in a next message under the widened schema
/// (<see cref="RecordWriterSession.Widen"/>). A record that cannot be written even so is not: it comes back as a
/// <see cref="RecordRejection"/> with its index, from the call that wrote it, and earlier and later records stay intact. Failures of the file itself (disk full, capacity) and of
/// the target (a completed list) propagate: nothing after them can succeed.
/// </summary>
public sealed class RecordFeed
{
    private static readonly IReadOnlyList<RecordRejection> None = [];

    private readonly RecordWriterSession _session;
    private readonly Func<ObjectMessageWriter, FieldPath> _pickTarget;
    private readonly bool _strict;
    private List<RecordRejection>? _rejections;

    internal RecordFeed(RecordWriterSession session, Func<ObjectMessageWriter, FieldPath> target, bool strict)
    {
        ArgumentNullException.ThrowIfNull(target);
        _session = session;
        _pickTarget = target;
        _strict = strict;
    }

    /// <summary>The target, once the first record was written (in the root of the current message); null before.</summary>
    public FieldPath? Target { get; private set; }

    /// <summary>Records written or rejected so far: the next written record's index.</summary>
    public long InputCount { get; private set; }

    /// <summary>Records written.</summary>
    public long Written { get; private set; }

    /// <summary>Records rejected.</summary>
    public long Rejected { get; private set; }

    /// <summary>
    /// Holds <paramref name="record"/> for the sample (writing the whole sample once it is full), or writes it;
    /// returns the records this call rejected (usually none).
    /// </summary>
    /// <exception cref="RootPropertiesException">Creating the file after the sample failed on a root value.</exception>
    public IReadOnlyList<RecordRejection> Write(object? record)
    {
        if (_session.AwaitsSchema)
        {
            if (_session.Hold(this, record)) _session.Start();
        }
        else WriteOne(record);
        return TakeRejections();
    }

    /// <summary>
    /// The input ended: a sample this feed holds is written now (the schema inferred from it, the file created).
    /// Returns the records that rejected, including any a checkpoint or completion wrote since the last call.
    /// </summary>
    public IReadOnlyList<RecordRejection> End()
    {
        if (_session.IsHolder(this)) _session.Start();
        return TakeRejections();
    }

    /// <summary>The held sample, written once the file exists, from the properties the sample read (<paramref name="described"/>, in step with <paramref name="held"/>).</summary>
    internal void WriteHeld(IReadOnlyList<object?> held, IReadOnlyList<RecordDescription?> described)
    {
        var codec = _session.Writer!.Codec as InferredRecordCodec;
        try
        {
            for (int i = 0; i < held.Count; i++)
            {
                if (described[i] is { } read) codec?.AlreadyRead(held[i]!, read);
                WriteOne(held[i]);
            }
        }
        finally
        {
            codec?.AlreadyRead(null, null);
        }
    }

    private void WriteOne(object? input)
    {
        long index = InputCount++;
        var writer = _session.Writer!;
        var target = Target is { } known && ReferenceEquals(known.Root, writer.RootSchema) ? known : Target = _pickTarget(writer);
        var model = writer.Codec.Model;
        if (input is HeldRejection held)
        {
            Reject(index, held.Input, target, held.Error); // refused by the sample walk (too large): never written
            return;
        }
        object? record = model.Adapter.Unwrap(input);
        bool anyValue = writer.TakesAnyValue(target); // e.g. a scalar is an inferred record's Value
        // A plain value (the type table's one rule) or a list has no fields to give a struct.
        if (record is null || !anyValue && (ObjectAdapter.IsScalar(record) || (record is IEnumerable && record is not IDictionary)))
        {
            Reject(index, input, target, new NotARecordException(target, record, anyValue));
            return;
        }
        try
        {
            writer.Write(target, input!, _strict);
        }
        catch (RecordTooLargeException tooLarge)
        {
            Reject(index, input, target, tooLarge); // no schema would take it: it is not widened for
            return;
        }
        catch (Exception e) when (IsRecordError(e, model))
        {
            bool widened;
            try
            {
                widened = _session.Widen(input, target, index, e);
            }
            catch (RecordTooLargeException tooLarge)
            {
                // The sample walk goes to -Depth, further than this schema's writer: it may refuse what the writer took.
                Reject(index, input, target, tooLarge);
                return;
            }
            if (!widened)
            {
                Reject(index, input, target, e);
                return;
            }
            // The next message carries a schema widened by this record: it fits there, or it is rejected as any.
            target = Target = _pickTarget(writer);
            try
            {
                writer.Write(target, input!, _strict);
            }
            catch (Exception again) when (again is RecordTooLargeException || IsRecordError(again, model))
            {
                Reject(index, input, target, again);
                return;
            }
        }
        Written++;
        _session.Count(written: true);
    }

    /// <summary>Errors of converting one record's values, which leave nothing of it written; the rest concern the file or target.</summary>
    private static bool IsRecordError(Exception e, ObjectModel model) =>
        e is CapnpValueException or InferredValueException or InvalidCastException or FormatException or OverflowException
        || model.IsRecordError?.Invoke(e) == true;

    private void Reject(long index, object? input, FieldPath target, Exception error)
    {
        Rejected++;
        _session.Count(written: false);
        (_rejections ??= new()).Add(new RecordRejection(index, input, target, error));
    }

    private IReadOnlyList<RecordRejection> TakeRejections()
    {
        if (_rejections is not { Count: > 0 } rejections) return None;
        _rejections = null;
        return rejections;
    }
}
