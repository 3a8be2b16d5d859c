using CapMap.Mapping;

namespace CapMap.Messages;

/// <summary>How a mapped message file is created and grown.</summary>
public sealed record MappedMessageOptions
{
    /// <summary>Address space reserved for the file: the largest message it can hold. Costs no memory.</summary>
    public long ReserveBytes { get; init; } = MappedFileOptions.DefaultReserveBytes;

    /// <summary>How the file grows; see docs/design.md for the measurements behind the default.</summary>
    public GrowthMode Growth { get; init; } = GrowthMode.Fault;

    /// <summary>Growth step: how much the file is extended at a time.</summary>
    public long ChunkBytes { get; init; } = MappedFileOptions.DefaultChunkBytes;

    /// <summary>
    /// Keep the file compact while building, even where a streaming list could keep its room as sparse holes that
    /// insert-range widens (ext4, XFS): the gap then starts small and doubles with moves (copies). A checkpointed
    /// file is then about as long as its data, instead of carrying up to 60 MiB of holes.
    /// </summary>
    public bool CompactLanes { get; init; }

    /// <summary>Replace an existing file instead of refusing it.</summary>
    public bool Overwrite { get; init; }

    /// <summary>
    /// Write the new message after the messages the file already holds (a stream of messages, the standard
    /// framing), leaving them byte for byte as they are; a missing file is created. Wins over <see cref="Overwrite"/>.
    /// </summary>
    public bool Append { get; init; }

    /// <summary>
    /// The schema the file carries for its readers (see <see cref="EmbeddedSchema"/>): written before the root
    /// struct, where stock readers never look. Null: the message carries none.
    /// </summary>
    public EmbeddedSchema? Schema { get; init; }

    /// <summary>
    /// Test hook: the most bytes of elements one streaming list holds per message (null: what its segment
    /// holds, about 3.5 to 4 GiB), so continuing in the next message is tested without writing gigabytes.
    /// </summary>
    internal long? MaxListBytesPerMessage { get; init; }

    /// <summary>
    /// Complete copies a tail of at most this many bytes down to close a gap, rather than collapsing it (see
    /// <see cref="MappedMessageBuilder.DefaultCopyTailLimitBytes"/>). Internal so that tests reach the
    /// collapse path with small messages.
    /// </summary>
    internal long CopyTailLimitBytes { get; init; } = MappedMessageBuilder.DefaultCopyTailLimitBytes;

    /// <summary>Test hook: the holes a sparse stream keeps (see <see cref="SparseLaneRooms"/>), smaller to reach many inserts with few records.</summary>
    internal SparseLaneRooms SparseRooms { get; init; } = SparseLaneRooms.Default;

    internal MappedFileOptions ToFileOptions() => new()
    {
        ReserveBytes = ReserveBytes,
        Growth = Growth,
        ChunkBytes = ChunkBytes,
        Overwrite = Overwrite,
    };
}
