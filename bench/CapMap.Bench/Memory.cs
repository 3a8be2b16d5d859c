namespace CapMap.Bench;

/// <summary>
/// Peak memory of this process: VmHWM (peak resident set, file pages of the mapping included) from
/// /proc/self/status, and the peak of RssAnon (anonymous memory: heap, GC, stacks), which the kernel does not
/// track as a peak, so a background thread samples it every few milliseconds (and callers sample at key points).
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peakAnonKb;

    public MemorySampler(int intervalMs = 5)
    {
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                Sample();
                Thread.Sleep(intervalMs);
            }
        }) { IsBackground = true, Name = "memory sampler" };
        _thread.Start();
    }

    public double PeakAnonMiB => Interlocked.Read(ref _peakAnonKb) / 1024.0;

    public static double PeakRssMiB => ReadKb("VmHWM:") / 1024.0;

    public void Sample()
    {
        long anon = ReadKb("RssAnon:");
        long seen = Interlocked.Read(ref _peakAnonKb);
        while (anon > seen)
        {
            long prev = Interlocked.CompareExchange(ref _peakAnonKb, anon, seen);
            if (prev == seen) break;
            seen = prev;
        }
    }

    private static long ReadKb(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
            var parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0]);
        }
        return 0;
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
        Sample();
    }
}
