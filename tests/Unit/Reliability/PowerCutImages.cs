namespace CapMap.Tests.Reliability;

/// <summary>
/// Reads the flush log of tests/TestWriter's FlushRecorder and builds the files a power cut can leave. The model: a
/// page written after the last flush that covered it (an msync of its range, or an fsync/fdatasync of the file) may
/// or may not have reached the disk, so after a cut between flush k and flush k+1 each page holds one of the values
/// it had at the flushes from that last covering one up to k+1; the length is the one at flush k or k+1 (on Linux
/// every one of these flushes also makes the size durable). A collapse-range is one metadata step, all or nothing:
/// across one the file is wholly before it or wholly after. Stores in between two flushes are not seen, only their
/// result at the next, so the images are states a cut can really leave, not all of them.
/// </summary>
internal sealed class PowerCutImages
{
    private const int PageBytes = 4096;

    private readonly List<Flush> _flushes = [new Flush(0, 0, 0, true, false)]; // flush 0: the empty file before the writer
    private readonly Dictionary<long, List<(int Flush, byte[] Content)>> _versions = new();

    /// <summary>A logged flush; <paramref name="Shifted"/>: a collapse-range may have moved the file's content since the flush before.</summary>
    private readonly record struct Flush(long FileLength, long Offset, long Length, bool WholeFile, bool Shifted)
    {
        public bool Covers(long page) => WholeFile || (page * PageBytes < Offset + Length && (page + 1) * PageBytes > Offset);
    }

    /// <summary>Flushes logged (numbered from 1).</summary>
    public int FlushCount => _flushes.Count - 1;

    /// <summary>Page versions the log holds.</summary>
    public int ChangedPages => _versions.Values.Sum(v => v.Count);

    public static PowerCutImages Read(string logPath)
    {
        var images = new PowerCutImages();
        using var log = new BinaryReader(File.OpenRead(logPath));
        while (log.BaseStream.Position < log.BaseStream.Length)
        {
            var flush = new Flush(log.ReadInt64(), log.ReadInt64(), log.ReadInt64(), log.ReadBoolean(), log.ReadBoolean());
            images._flushes.Add(flush);
            int pages = log.ReadInt32();
            for (int i = 0; i < pages; i++)
            {
                long page = log.ReadInt64();
                var content = log.ReadBytes(PageBytes);
                if (!images._versions.TryGetValue(page, out var versions)) images._versions[page] = versions = [];
                versions.Add((images.FlushCount, content));
            }
        }
        return images;
    }

    /// <summary>
    /// The files a cut between flush <paramref name="k"/> and k+1 can leave, named: every page as old as it may be,
    /// every page as new as it may be (the file at flush k+1), <paramref name="randomCount"/> random mixes, and, when
    /// only a few pages are in flight, each of them alone behind or ahead of the rest. After the last flush there is
    /// one: the file as the writer left it.
    /// </summary>
    public IEnumerable<(string Name, byte[] Image)> CutsAfter(int k, Random random, int randomCount)
    {
        if (k == FlushCount)
        {
            yield return ("after the last flush", Build(_flushes[k].FileLength, page => ContentAt(page, k)));
            yield break;
        }
        // A collapse in between moved the content as one step: the file is then wholly before it (pages mixed only
        // from what was written before flush k+1's shift) or wholly the file at flush k+1.
        bool shifted = _flushes[k + 1].Shifted;
        var candidates = _versions.Keys.ToDictionary(page => page, page => Candidates(page, k, shifted ? k : k + 1));
        long[] lengths = shifted ? [_flushes[k].FileLength] : [_flushes[k].FileLength, _flushes[k + 1].FileLength];
        yield return ("nothing unflushed reached the disk", Build(lengths[0], page => candidates[page][0]));
        yield return ("everything reached the disk", Build(_flushes[k + 1].FileLength, page => ContentAt(page, k + 1)));
        for (int i = 0; i < randomCount; i++)
            yield return ($"random mix {i + 1}", Build(lengths[random.Next(lengths.Length)], page => candidates[page][random.Next(candidates[page].Count)]));
        // Where few pages are in flight (a header, a pad, a progress word: the steps whose order matters), each one
        // alone against all the others: one page left behind, or one page ahead. Random mixes find such a pair only
        // by luck (a pad's page ahead of the header page was found by one of two).
        var inFlight = candidates.Where(c => c.Value.Count > 1).Select(c => c.Key).OrderBy(page => page).ToList();
        if (inFlight.Count is < 2 or > MaxPagesFlippedOneByOne) yield break;
        foreach (long flipped in inFlight)
        {
            yield return ($"page {flipped} behind the rest", Build(lengths[^1], page => page == flipped ? candidates[page][0] : candidates[page][^1]));
            yield return ($"page {flipped} ahead of the rest", Build(lengths[0], page => page == flipped ? candidates[page][^1] : candidates[page][0]));
        }
    }

    /// <summary>The most pages in flight for which every page is also tried alone against the others.</summary>
    private const int MaxPagesFlippedOneByOne = 8;

    /// <summary>The values <paramref name="page"/> may hold after a cut following flush <paramref name="k"/>, oldest first, up to those seen at flush <paramref name="newest"/>.</summary>
    private List<byte[]> Candidates(long page, int k, int newest)
    {
        int durable = k;
        while (durable > 0 && !_flushes[durable].Covers(page)) durable--;
        var values = new List<byte[]> { ContentAt(page, durable) };
        values.AddRange(_versions[page].Where(v => v.Flush > durable && v.Flush <= newest).Select(v => v.Content));
        return values;
    }

    private byte[] ContentAt(long page, int flush)
    {
        byte[]? content = null;
        foreach (var version in _versions[page])
            if (version.Flush <= flush) content = version.Content;
        return content ?? new byte[PageBytes];
    }

    private byte[] Build(long length, Func<long, byte[]> pick)
    {
        var image = new byte[length];
        foreach (long page in _versions.Keys)
        {
            long start = page * PageBytes;
            if (start >= length) continue;
            pick(page).AsSpan(0, (int)Math.Min(PageBytes, length - start)).CopyTo(image.AsSpan((int)start));
        }
        return image;
    }
}
