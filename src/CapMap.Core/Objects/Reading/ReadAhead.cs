using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace CapMap.Objects.Reading;

/// <summary>
/// Runs an enumeration of batches on a worker thread, at most <c>depth</c> batches ahead of its consumer, and hands
/// the batches over in order. A PowerShell pipeline spends most of a record's time in the downstream command's
/// parameter binding, on one core; decoding the next records on the other core takes our share off that path.
/// </summary>
/// <remarks>
/// The lifetime rule that keeps this safe over a mapping: disposing the enumeration (as <c>foreach</c> does when the
/// consumer stops early, throws, or finishes) cancels the worker and waits for it, so by the time the caller
/// disposes what the batches are read from, no thread is reading it. An exception of the producer reaches the
/// consumer after the batches produced before it, with its original stack.
/// </remarks>
internal static class ReadAhead
{
    /// <summary>True where a second thread can run beside the consumer; on one core read-ahead only adds hand-offs.</summary>
    public static bool Worthwhile => Environment.ProcessorCount > 1;

    /// <summary>The batches of <paramref name="produce"/>, produced by a worker thread at most <paramref name="depth"/> ahead.</summary>
    public static IEnumerable<T> Run<T>(IEnumerable<T> produce, int depth)
    {
        ArgumentNullException.ThrowIfNull(produce);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        using var queue = new BlockingCollection<T>(depth);
        using var cancel = new CancellationTokenSource();
        ExceptionDispatchInfo? failure = null;
        var worker = new Thread(() =>
        {
            try
            {
                foreach (var batch in produce)
                    queue.Add(batch, cancel.Token);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                // The consumer stopped: nothing more is wanted.
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                queue.CompleteAdding();
            }
        })
        {
            IsBackground = true,
            Name = "CapMap read-ahead",
        };
        worker.Start();
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable())
                yield return batch;
            worker.Join();
            failure?.Throw();
        }
        finally
        {
            // Early exit (or a consumer exception): stop the producer and wait until it no longer reads anything.
            cancel.Cancel();
            worker.Join();
        }
    }
}
