namespace CapMap.PowerShell.Internal;

/// <summary>
/// The messages this process has open, for Get-CapnpMappedMessage. Held weakly: the list must not keep a
/// forgotten message alive, because collecting it is what releases its file's lock.
/// </summary>
internal static class OpenMessages
{
    private static readonly object Gate = new();
    private static readonly List<WeakReference<CapnpMappedMessage>> Messages = new();

    public static void Add(CapnpMappedMessage message)
    {
        lock (Gate)
        {
            Prune(null);
            Messages.Add(new WeakReference<CapnpMappedMessage>(message));
        }
    }

    public static void Remove(CapnpMappedMessage message)
    {
        lock (Gate) Prune(message);
    }

    /// <summary>The messages still open (or failed, and not yet disposed), oldest first.</summary>
    public static IReadOnlyList<CapnpMappedMessage> Snapshot()
    {
        lock (Gate)
        {
            var alive = new List<CapnpMappedMessage>();
            foreach (var reference in Messages)
            {
                if (reference.TryGetTarget(out var message) && message.State is CapnpMessageState.Open or CapnpMessageState.Failed)
                    alive.Add(message);
            }
            return alive;
        }
    }

    /// <summary>Drops collected entries and <paramref name="closed"/>.</summary>
    private static void Prune(CapnpMappedMessage? closed) =>
        Messages.RemoveAll(r => !r.TryGetTarget(out var m) || ReferenceEquals(m, closed));
}
