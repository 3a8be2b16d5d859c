using CapMap.Schema.Inference;

namespace CapMap.Objects;

/// <summary>How <see cref="StructWriter"/> reads and checks input objects.</summary>
public sealed record ObjectWriterOptions
{
    /// <summary>
    /// Reject input objects that have properties the schema does not know (at every nesting level):
    /// <see cref="CapnpValueException"/> listing the unknown names. Off by default: extra properties are ignored.
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>How input objects are seen: the one object-model seam, shared with schema inference.</summary>
    public ObjectAdapter Adapter { get; init; } = ObjectAdapter.Default;

    /// <summary>
    /// The adapter's <see cref="ObjectAdapter.Unwrap"/>, applied to every value before it is converted (the root
    /// object, each property value, each list element); null for an adapter that does not override it, so the
    /// writers skip the call.
    /// </summary>
    public Func<object?, object?>? Unwrap => Adapter.UnwrapsValues ? Adapter.Unwrap : null;
}
