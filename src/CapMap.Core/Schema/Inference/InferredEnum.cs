namespace CapMap.Schema.Inference;

/// <summary>An enum of an <see cref="InferredSchema"/> (a Cap'n Proto enum, for schemas given as field lists).</summary>
public sealed class InferredEnum
{
    /// <summary>Creates an enum; enumerant identifiers are made valid and unique like field names.</summary>
    public InferredEnum(string name, IEnumerable<string> enumerants)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Enumerants = (enumerants ?? throw new ArgumentNullException(nameof(enumerants))).ToArray();
        if (Enumerants.Count == 0) throw new ArgumentException("An enum needs at least one enumerant.", nameof(enumerants));
        EnumerantIdentifiers = CapnpIdentifiers.MakeUnique(Enumerants, CapnpIdentifiers.ToMemberIdentifier);
    }

    /// <summary>The original name.</summary>
    public string Name { get; }

    /// <summary>The original enumerant names, in ordinal order.</summary>
    public IReadOnlyList<string> Enumerants { get; }

    /// <summary>The enumerants' Cap'n Proto names.</summary>
    public IReadOnlyList<string> EnumerantIdentifiers { get; }

    /// <summary>The Cap'n Proto type name, assigned by the schema.</summary>
    public string Identifier { get; internal set; } = "";

    /// <summary>The node id, assigned by the schema.</summary>
    public ulong Id { get; internal set; }
}
