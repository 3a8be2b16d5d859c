using CapMap.Wire;

namespace CapMap.Messages;

// Repair pointers: a pointer that existed at the last checkpoint is restored with it.

public sealed unsafe partial class MappedMessageBuilder
{
    /// <summary>
    /// Call before pointing <paramref name="parent"/>'s pointer <paramref name="pointerIndex"/> at a new object
    /// when the pointer already existed at the last checkpoint: the object will lie past what the checkpoint
    /// covers, so restoring that checkpoint must also restore the pointer's value as it was (usually null),
    /// or the restored message would hold a pointer out of bounds. Amends the last checkpoint record with the
    /// pointer's current value (the header's table and patches are not rewritten). <see cref="OpenStructList"/>
    /// does this itself.
    /// </summary>
    public void PreservePointerForRepair(StructBuilder parent, int pointerIndex)
    {
        ThrowIfUnusable();
        if (LastCheckpoint is not { } last) return;
        ulong* slot = parent.PointerAddress(pointerIndex);
        long offset = (byte*)slot - _arena.Base;
        if (offset < _messageOffset || offset + 8 > last.EndOffset || last.Patches.Any(p => p.FileOffset == offset)) return;
        if (last.Patches.Count + 1 > CheckpointRecord.MaxPatches)
        {
            // No room to amend: a fresh checkpoint has at most one patch per list part plus the root.
            Checkpoint(flush: false);
            last = LastCheckpoint!;
        }
        var amended = last with { Sequence = ++_sequence, Patches = last.Patches.Append(new WordPatch(offset, *slot)).ToArray() };
        // Only the record: a kill before it is complete leaves the previous record, and the pointer is not written yet.
        MessageHeader.WriteRecord(_arena.Base, amended);
        LastCheckpoint = amended;
    }
}
