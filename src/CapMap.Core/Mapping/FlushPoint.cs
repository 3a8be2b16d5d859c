namespace CapMap.Mapping;

/// <summary>A finished flush: the range msync wrote back, and whether an fsync or fdatasync covered the whole file.</summary>
internal readonly record struct FlushPoint(string Path, long Offset, long Length, bool WholeFile);
