using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Objects.Reading;

/// <summary>
/// The <see cref="CopyRule"/>s of a schema: for each struct, what each pointer slot must reach by the field that
/// uses it (groups' fields included, as they live in their struct's sections). A slot that members of a union use
/// for different things, and AnyPointer or interface fields, get no rule. Made once per struct, cycles included.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class SchemaCopyRules
{
    private static readonly CopyRule Text = new(CopyExpectation.Text), Data = new(CopyExpectation.Data);
    private readonly Dictionary<StructSchema, CopyRule> _structs = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<TypeSchema, CopyRule> _lists = new(ReferenceEqualityComparer.Instance);

    /// <summary>The rule for a pointer to a struct of <paramref name="schema"/>.</summary>
    public CopyRule For(StructSchema schema)
    {
        if (_structs.TryGetValue(schema, out var done)) return done;
        var rule = new CopyRule(CopyExpectation.Struct);
        _structs[schema] = rule; // before the fields: a struct may reach itself
        var slots = new CopyRule?[schema.PointerCount];
        var conflicting = new bool[schema.PointerCount];
        Collect(schema, slots, conflicting);
        rule.Pointers = slots;
        return rule;
    }

    private void Collect(StructSchema schema, CopyRule?[] slots, bool[] conflicting)
    {
        foreach (var field in schema.Fields)
        {
            if (field.IsGroup)
            {
                Collect(field.GroupType!, slots, conflicting);
                continue;
            }
            if (!field.Type.IsPointer || field.Offset >= (uint)slots.Length) continue;
            int slot = (int)field.Offset;
            var rule = ForType(field.Type);
            if (conflicting[slot]) continue;
            if (slots[slot] is { } earlier && !ReferenceEquals(earlier, rule))
            {
                // Union members sharing the slot disagree: the discriminant decides, so anything goes here.
                slots[slot] = null;
                conflicting[slot] = true;
                continue;
            }
            slots[slot] = rule;
            if (rule is null) conflicting[slot] = true;
        }
    }

    private CopyRule? ForType(TypeSchema type) => type.Kind switch
    {
        TypeKind.Text => Text,
        TypeKind.Data => Data,
        TypeKind.Struct when type.StructType is { } s => For(s),
        TypeKind.List when type.ElementType is { } e => ForList(e),
        _ => null, // AnyPointer, interfaces
    };

    private CopyRule ForList(TypeSchema element)
    {
        if (_lists.TryGetValue(element, out var done)) return done;
        var rule = element.Kind switch
        {
            TypeKind.Void or TypeKind.Bool or TypeKind.AnyPointer or TypeKind.Interface => new CopyRule(CopyExpectation.List, ElementExpectation.Bool),
            TypeKind.Struct => new CopyRule(CopyExpectation.List, ElementExpectation.Struct),
            TypeKind.Text or TypeKind.Data or TypeKind.List => new CopyRule(CopyExpectation.List, ElementExpectation.Pointer),
            _ => new CopyRule(CopyExpectation.List, ElementExpectation.Scalar),
        };
        _lists[element] = rule;
        rule.Element = element.Kind is TypeKind.Struct or TypeKind.Text or TypeKind.Data or TypeKind.List ? ForType(element) : null;
        return rule;
    }
}
