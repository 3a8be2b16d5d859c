using CapMap.Native;

namespace CapMap.Messages;

// Gaps: closing the gaps streaming left between segments at finish, by copy, collapse-range or padding.

public sealed unsafe partial class MappedMessageBuilder
{
    /// <summary>A gap whose tail is at most this large is closed by moving the tail when collapse-range is unavailable.</summary>
    private const long MoveTailLimitBytes = 64L << 20;

    /// <summary>
    /// A tail is moved down only when that takes at most this many chunks (a chunk is at most the gap): each chunk
    /// costs two flushes (see <see cref="JournaledMove"/>), and a small gap costs little as padding.
    /// </summary>
    private const long MaxTailMoveChunks = 16;

    /// <summary>
    /// A gap whose tail is at most this large is closed by copying the tail down even where collapse-range
    /// works. The copy costs in proportion to the tail and closes the gap to the byte; collapse-range costs a
    /// writeback of the file's dirty pages and a journal commit whatever the size (0.5–2 s for a one-record
    /// message on a busy ext4, see docs/design.md) and leaves up to <see cref="MappedFileLayout.GapAlignment"/>
    /// of padding before the gap, which is most of a small file.
    /// </summary>
    internal const long DefaultCopyTailLimitBytes = 8L << 20;

    /// <summary>
    /// Closes each gap a streaming list left: a tail of at most <see cref="MappedMessageOptions.CopyTailLimitBytes"/> is
    /// copied down (in one piece when it fits in the gap, as a small message's always does); a larger one is removed
    /// with collapse-range where the file system supports it (no data moves),
    /// else moved down when at most <see cref="MoveTailLimitBytes"/>, else the gap is declared as zero
    /// padding at the end of the segment before it (the file keeps a hole there). A tail is moved only when
    /// that takes at most <see cref="MaxTailMoveChunks"/> chunks. On entry the last checkpoint describes the arena
    /// exactly (gaps as padding); each step keeps it so.
    /// </summary>
    private GapClosing CloseGaps()
    {
        var result = GapClosing.None;
        for (int i = _arena.SegmentCount - 2; i >= 0; i--)
        {
            var segments = _arena.Segments;
            long end = segments[i].End;
            long nextStart = segments[i + 1].Offset;
            if (nextStart == end) continue;

            // Collapse-range removes whole blocks: the part of the gap between block boundaries.
            long block = CollapseBlockBytes();
            long alignedEnd = NativeRange.AlignUp(end, block);
            long alignedNext = nextStart / block * block;
            long tailBytes = segments[_arena.SegmentCount - 1].End - nextStart;
            if (tailBytes <= Options.CopyTailLimitBytes && TryMoveTailDown(i, end, nextStart, tailBytes) is var copied and not GapClosing.None)
            {
                result |= copied;
            }
            else if (alignedEnd < alignedNext && TryCollapseGap(i, alignedEnd, alignedNext))
            {
                result |= GapClosing.Collapsed;
            }
            else if (tailBytes <= MoveTailLimitBytes && TryMoveTailDown(i, end, nextStart, tailBytes) is var moved and not GapClosing.None)
            {
                result |= moved;
            }
            else
            {
                // Declared as padding already: nothing in the file changes.
                _arena.PadSegmentTo(i, nextStart);
                result |= GapClosing.Padded;
            }
        }
        MakeCopiedLayoutDurable();
        return result;
    }

    /// <summary>
    /// The unit collapse-range removes: the file system's block size (4 KiB on ext4 and XFS as made by default), so
    /// what stays of a collapsed gap as padding is under two blocks. The arena aligns its lanes to
    /// <see cref="MappedFileLayout.GapAlignment"/> (64 KiB, the largest block size either file system takes), but a
    /// sparse lane's segment is declared from its lowest child, anywhere in a block, and aligning the collapse to
    /// 64 KiB too left up to 128 KiB of zeros in a file (54 KB of 9.8 MB for 5,000 FileInfo records). A block size
    /// that cannot be read, or is not a power of two between the page size and 64 KiB, falls back to 64 KiB.
    /// </summary>
    private long CollapseBlockBytes()
    {
        if (_collapseBlockBytes == 0)
        {
            long block = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) is { } dir ? FileSystemFacts.BlockSize(dir) : 0;
            bool usable = block >= Environment.SystemPageSize && block <= MappedFileLayout.GapAlignment && (block & (block - 1)) == 0;
            _collapseBlockBytes = usable ? block : MappedFileLayout.GapAlignment;
        }
        return _collapseBlockBytes;
    }

    private long _collapseBlockBytes;

    /// <summary>
    /// Closes the gap after segment <paramref name="segmentBefore"/> by copying everything above it down to
    /// <paramref name="end"/>: in one copy when it fits in the gap, else journaled chunk by chunk. <see cref="GapClosing.None"/>
    /// (nothing changed) when the destination cannot be allocated.
    /// </summary>
    private GapClosing TryMoveTailDown(int segmentBefore, long end, long nextStart, long tailBytes)
    {
        if (tailBytes > MaxTailMoveChunks * (nextStart - end) || !_file.TryAllocateRange(end, tailBytes)) return GapClosing.None;
        var move = PendingMove.Copy(nextStart, end, tailBytes);
        bool fits = tailBytes <= nextStart - end;
        if (fits) CopyIntoGap(move);
        else MoveBlockJournaled(move);
        _arena.ShiftSegmentsAfter(segmentBefore, nextStart - end);
        return fits ? GapClosing.Copied : GapClosing.Moved;
    }

    /// <summary>
    /// Copies a tail that fits in the gap below it. The copy lands on gap bytes only, which no record names, and its
    /// source stays as it was, so the record on disk stays true at every instant without a journal: a kill or a power
    /// cut before the new layout is published leaves the last record and its data untouched. What orders it for a
    /// power cut is one flush: the copy reaches the disk before the record that names it. A journaled move instead
    /// costs five flushes (<see cref="MoveBlockJournaled"/>): ten of the 13 fsync/fdatasync calls of a one-record
    /// export's Complete were its two gaps'.
    /// </summary>
    private void CopyIntoGap(PendingMove move)
    {
        var last = LastCheckpoint ?? throw new InvalidOperationException("A tail is copied only under a checkpoint that names it.");
        Buffer.MemoryCopy(_file.Base + move.Offset, _file.Base + move.Other, move.Length, move.Length);
        // A write that failed (EIO) went to a throwaway page: nothing names the copy yet, and the file keeps its layout.
        ThrowIfFailed();
        CrashPoints.Reach("tail copied into the gap");
        _file.FlushData(move.Other, move.Length);
        PublishLayout(last.Shifted(move.ShiftFrom, move.Shift));
        _layoutNotDurable = true;
        CrashPoints.Reach("tail copy published");
    }

    /// <summary>
    /// A layout published after <see cref="CopyIntoGap"/> is not flushed yet. It must be before the file is cut: the cut
    /// removes the copy's source, which the record still on disk may name.
    /// </summary>
    private bool _layoutNotDurable;

    /// <summary>Flushes the header page when <see cref="CopyIntoGap"/> left its layout unflushed: once for all the gaps closed.</summary>
    private void MakeCopiedLayoutDurable()
    {
        if (!_layoutNotDurable) return;
        FlushHeader();
        _layoutNotDurable = false;
    }

    /// <summary>
    /// Removes the gap [<paramref name="from"/>, <paramref name="to"/>) with collapse-range, announced first:
    /// repair tells by the file's length whether the kernel did it. False (nothing changed) when the file
    /// system cannot.
    /// </summary>
    private bool TryCollapseGap(int segmentBefore, long from, long to)
    {
        long length = to - from;
        if (!TryShiftJournaled(PendingMove.Collapse(from, length, new FileInfo(Path).Length), _file.TryCollapseRange)) return false;
        // What is left of the gap (below the first whole block and above the last) stays as padding.
        _arena.ShiftSegmentsAfter(segmentBefore, length);
        _arena.PadSegmentTo(segmentBefore, _arena.Segments[segmentBefore + 1].Offset);
        return true;
    }
}
