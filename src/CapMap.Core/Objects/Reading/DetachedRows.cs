using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects.Reading;

/// <summary>
/// Rows decoded when first touched. A batch of records is copied out of the mapped file into memory of its own
/// (<see cref="DetachedCopy"/>: a few hundred bytes per record, no object per value), and each record becomes a row
/// of the right generated type whose values are decoded from that copy when first read: one value at a time where a
/// slot decoder is given (a filter on one property decodes that property only), else all of a row's values at its
/// first read. A consumer that only counts, filters by position or passes rows on pays the copy; one that reads a
/// property pays the decode of what it reads, once per row.
/// </summary>
/// <remarks>
/// Lifetime: nothing a row holds refers to the file, so rows stay valid after the reader is disposed, after the
/// file is cut or replaced, for as long as they live; a chunk of the copy (about 64 KiB of records) is freed when the
/// last of its undecoded rows is.
/// Errors: the copy checks every pointer the schema's decoders will follow (kinds, NUL-terminated Text, element
/// encodings; <see cref="SchemaCopyRules"/>), so a malformed record fails while the file is read, as it did when
/// rows were decoded at once. What a decode can still refuse later is a value the type table cannot convert back
/// (an inferred schema's Guid that is not 16 bytes, say), which only a crafted file holds; the row's property
/// read then throws that <see cref="Schema.Inference.InferredValueException"/>.
/// Threads: batches are filled by one reading thread at a time. Decoding runs under one lock per
/// <see cref="DetachedRows"/> (rows may be read on any thread, and the decoders compile and cache as they go), and
/// so does the shape function, which the reading thread calls.
/// </remarks>
public sealed class DetachedRows
{
    private readonly object _gate = new();
    private readonly Func<StructReader, StructSchema, RowShape> _shapeOf;
    private readonly Func<StructReader, StructSchema, object?[]> _valuesOf;
    private readonly Func<StructReader, StructSchema, int, object?>? _valueOf;
    private readonly Func<Row, object> _present;
    private readonly SchemaCopyRules _rules = new(); // used by the reading thread only
    private long _lastChunkWords;

    /// <summary>Rows of the shape <paramref name="shapeOf"/> tells (from the struct's data section alone: a union's discriminant), with the values <paramref name="valuesOf"/> decodes.</summary>
    /// <param name="shapeOf">The row shape of a struct (cheap; called as each record is copied).</param>
    /// <param name="valuesOf">The values of a struct, in the order of its shape's properties (called at the first read of a row).</param>
    /// <param name="present">What becomes of each row as it is output (e.g. wrapped to carry a type name); identity by default.</param>
    /// <param name="valueOf">
    /// The value at one slot of a struct's shape, alone (called at a read of one property of a row not yet decoded
    /// whole); null if values are decoded only all together.
    /// </param>
    public DetachedRows(Func<StructReader, StructSchema, RowShape> shapeOf, Func<StructReader, StructSchema, object?[]> valuesOf, Func<Row, object>? present = null,
        Func<StructReader, StructSchema, int, object?>? valueOf = null)
    {
        _shapeOf = shapeOf ?? throw new ArgumentNullException(nameof(shapeOf));
        _valuesOf = valuesOf ?? throw new ArgumentNullException(nameof(valuesOf));
        _present = present ?? (row => row);
        _valueOf = valueOf;
    }

    /// <summary>A batch for <paramref name="count"/> records (<see cref="MessagePlan{T}.Batch"/>).</summary>
    public IRecordBatch<object> NewBatch(int count) => new Batch(this, count);

    /// <summary>
    /// One batch of records, copied into chunks of at most about <see cref="ChunkWords"/> words: small enough to be
    /// allocated young (an array of 85,000 bytes or more goes to the large object heap, on fresh pages), and so that
    /// a row that outlives its neighbours keeps only its chunk alive.
    /// </summary>
    private sealed class Batch(DetachedRows owner, int count) : IRecordBatch<object>
    {
        private const int ChunkWords = 8 * 1024;
        private readonly List<(RowShape Shape, Chunk Chunk, int Index)> _records = new(count);
        private StructSchema? _schema;
        private CopyRule? _rule;
        private DetachedCopy? _copy;
        private Chunk? _chunk;

        public void Add(StructReader record, StructSchema schema)
        {
            if (_schema is null)
            {
                _schema = schema;
                _rule = owner._rules.For(schema);
            }
            else if (!ReferenceEquals(_schema, schema)) throw new ArgumentException("A batch holds records of one schema.", nameof(schema));
            if (_copy is null || _copy.Words >= ChunkWords) StartChunk();
            RowShape shape;
            lock (owner._gate) shape = owner._shapeOf(record, schema);
            // Checked as the schema's decoders will read it, so a bad record fails here, while the file is read.
            int index = _copy!.Add(record, _rule);
            _records.Add((shape, _chunk!, index));
        }

        public List<object> Complete()
        {
            SealChunk();
            var rows = new List<object>(_records.Count);
            foreach (var (shape, chunk, index) in _records) rows.Add(owner._present(shape.NewLazy(chunk, index)));
            return rows;
        }

        private void StartChunk()
        {
            SealChunk();
            // Sized like the chunk before (records of one file are alike), so the copy rarely grows; a chunk that one
            // huge record made large does not make the next one large.
            _copy = new DetachedCopy(Math.Clamp(Interlocked.Read(ref owner._lastChunkWords) * 9 / 8, 256, ChunkWords * 5 / 4));
            _chunk = new Chunk(owner, _schema!);
        }

        private void SealChunk()
        {
            if (_copy is null) return;
            _chunk!.Message = _copy.Seal();
            Interlocked.Exchange(ref owner._lastChunkWords, _copy.Words);
            _copy = null;
        }
    }

    /// <summary>Rows' values from one sealed copy.</summary>
    private sealed class Chunk(DetachedRows owner, StructSchema schema) : RowSource
    {
        public DetachedMessage? Message { get; set; }

        internal override object Gate => owner._gate;

        internal override object?[] Decode(int index) => Message!.Read(index, record => owner._valuesOf(record, schema));

        internal override bool DecodesSlots => owner._valueOf is not null;

        internal override object? DecodeSlot(int index, int slot) => Message!.Read(index, record => owner._valueOf!(record, schema, slot));
    }
}
