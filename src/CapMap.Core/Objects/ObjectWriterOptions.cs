namespace CapMap.Objects;

/// <summary>How <see cref="StructWriter"/> reads and checks input objects.</summary>
public sealed record ObjectWriterOptions
{
    /// <summary>
    /// Reject input objects that have properties the schema does not know (at every nesting level):
    /// <see cref="CapnpValueException"/> listing the unknown names. Off by default: extra properties are ignored.
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>How properties are read from input objects.</summary>
    public IPropertyAccessor Accessor { get; init; } = DefaultPropertyAccessor.Instance;

    /// <summary>
    /// Applied to every value before it is converted (the root object, each property value, each list element),
    /// e.g. to replace a PowerShell <c>PSObject</c> by its <c>BaseObject</c>. Null: values are used as they are.
    /// </summary>
    public Func<object?, object?>? Unwrap { get; init; }
}
