namespace CapMap.Objects.Codecs;

/// <summary>
/// An input that has no fields to give a struct: null, or, where the target takes objects only, a plain value or a
/// list. The record is not written; <see cref="RecordFeed"/> reports it as that record's rejection.
/// </summary>
public sealed class NotARecordException : ArgumentException
{
    /// <summary>A rejection of <paramref name="value"/> (unwrapped) as a record of <paramref name="target"/>.</summary>
    public NotARecordException(FieldPath target, object? value, bool takesAnyValue)
        : base(value is null
            ? $"A record for '{target.Path}' is null."
            : $"A record for '{target.Path}' is a {value.GetType().Name}; a record must be {(takesAnyValue ? "an object, a hashtable or a value" : "an object with properties")}.")
    {
        Target = target;
        Value = value;
        TakesAnyValue = takesAnyValue;
    }

    /// <summary>Where the record was to go.</summary>
    public FieldPath Target { get; }

    /// <summary>The input, unwrapped by the object model (null for a null input).</summary>
    public object? Value { get; }

    /// <summary>True when the target takes plain values too (an inferred schema's records), so only null was refused.</summary>
    public bool TakesAnyValue { get; }
}
