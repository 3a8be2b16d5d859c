using CapMap.Schema;

namespace CapMap.Objects;

/// <summary>
/// The values given for the root struct's fields cannot be written: a value does not convert (the inner
/// <see cref="CapnpValueException"/> says which), or a value is given for a List(Struct) field, which is
/// streamed record by record instead. Thrown before the message file is created.
/// </summary>
public sealed class RootPropertiesException : ArgumentException
{
    /// <summary>A value did not convert.</summary>
    public RootPropertiesException(StructSchema root, CapnpValueException inner)
        : base($"The root properties cannot be written into root type {root.NestedName}: {inner.Message}", inner)
        => RootType = root.NestedName;

    /// <summary>A value was given for the streamed list <paramref name="list"/>.</summary>
    public RootPropertiesException(StructSchema root, FieldSchema list)
        : base($"The root properties set '{list.Name}', a {list.Type}; its elements are streamed as records instead.")
    {
        RootType = root.NestedName;
        StreamedList = list;
    }

    /// <summary>The root struct's name.</summary>
    public string RootType { get; }

    /// <summary>The List(Struct) field that was given a value, or null when a value did not convert.</summary>
    public FieldSchema? StreamedList { get; }

    /// <summary>The conversion failure, or null.</summary>
    public CapnpValueException? ValueError => InnerException as CapnpValueException;
}
