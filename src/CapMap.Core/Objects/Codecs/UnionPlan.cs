using CapMap.Schema.Inference;
using CapMap.Schema;

namespace CapMap.Objects.Codecs;

/// <summary>
/// Which member of an inferred union struct takes a value: by its kind (<see cref="UnionShape.KeyOf(ClrTypeInfo)"/>)
/// for a value of several kinds, by its .NET type name for records of several types; made once per union struct.
/// </summary>
internal sealed class UnionPlan
{
    private readonly string?[] _kinds;
    private readonly string?[] _typeNames;

    public UnionPlan(InferredStruct union)
    {
        DiscriminantOffset = checked((int)union.DiscriminantOffset);
        var members = union.Fields;
        _kinds = members.Select(m => KindOf(m)).ToArray();
        _typeNames = members.Select(m => m.Clr is { Kind: ClrKind.Object, Argument: { } t } ? t : null).ToArray();
        NullMember = Array.FindIndex(members.ToArray(), m => m.Type.Kind == TypeKind.Void);
    }

    /// <summary>The discriminant's offset, in 16-bit units.</summary>
    public int DiscriminantOffset { get; }

    /// <summary>The Void member that stands for a null list element; -1 if there is none.</summary>
    public int NullMember { get; }

    /// <summary>The kinds of the members, for messages.</summary>
    public string Kinds => string.Join(", ", _kinds.Where(k => k is not null));

    /// <summary>The type names of the members, for messages.</summary>
    public string TypeNames => string.Join(", ", _typeNames.Where(t => t is not null));

    /// <summary>The member of values of kind <paramref name="key"/>; -1 if there is none.</summary>
    public int MemberOfKind(string key) => Array.IndexOf(_kinds, key);

    /// <summary>The member of records of the .NET type <paramref name="typeName"/>; -1 if there is none.</summary>
    public int MemberOfType(string? typeName) => typeName is null ? -1 : Array.IndexOf(_typeNames, typeName);

    // A member's kind from what its values were: the same keys the inference gave the shapes.
    private static string? KindOf(InferredField member) => member.Clr switch
    {
        null => null,
        { Kind: ClrKind.Scalar } clr => UnionShape.KeyOf(clr),
        { Kind: ClrKind.Array or ClrKind.List or ClrKind.Sequence } => UnionShape.ListKey,
        { Kind: ClrKind.Map } => UnionShape.MapKey,
        { Kind: ClrKind.Object or ClrKind.Dictionary } => UnionShape.ObjectKey,
        _ => null,
    };
}
