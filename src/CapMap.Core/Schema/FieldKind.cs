namespace CapMap.Schema;

/// <summary>Whether a field is a slot (stores a value) or a group.</summary>
public enum FieldKind : ushort
{
    /// <summary>An ordinary field stored at an offset of its struct.</summary>
    Slot = 0,
    /// <summary>A group: fields that live in the sections of the enclosing struct.</summary>
    Group = 1,
}
