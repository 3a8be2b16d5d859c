namespace CapMap.Messages;

// Restore: the arena of a message a repair restored, rebuilt from its checkpoint so Complete's gap closing can run on it.

internal sealed unsafe partial class MappedSegmentArena
{
    /// <summary>
    /// Lays the arena out as a restored checkpoint's segments, so the gap closing of Complete can cut the file down to
    /// its data. Each entry gives a segment's start as the builder sees it (segment 0: the root slot; the others: the
    /// declared start), its first word of data, and the end of its data. A segment whose data begins after its start
    /// gets that part as an empty child room, which <see cref="RebaseStreamSegment"/> turns into a gap exactly as at
    /// Complete. Nothing streams and nothing grows afterwards: the arena only describes the file.
    /// </summary>
    internal void RestoreSegments(IReadOnlyList<(long Start, long DataStart, long DataEnd)> segments)
    {
        if (_count != 1 || _segments[0].Used > 1 || IsStreaming || segments.Count == 0 || segments.Count > MappedFileLayout.MaxSegments)
            throw new InvalidOperationException("Only a fresh arena can take the segments of a restored checkpoint.");
        for (int i = 0; i < segments.Count; i++)
        {
            var (start, dataStart, dataEnd) = segments[i];
            int used = (int)((dataEnd - start) / 8);
            _segments[i] = new Segment
            {
                Offset = start, Used = used, Capacity = used, CommittedEnd = dataEnd,
                ChildLow = dataStart > start ? dataStart : 0, ChildFloor = dataStart > start ? start : 0,
            };
            _openedDuringStream[i] = -1;
        }
        _count = segments.Count;
        _current = _count - 1;
    }
}
