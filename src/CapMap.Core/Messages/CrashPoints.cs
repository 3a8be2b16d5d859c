namespace CapMap.Messages;

/// <summary>
/// Named instants of the steps that rewrite a message file in place (finishing, gap moves, repair). In
/// production nothing listens. The crash tests' child writer counts them and kills itself with SIGKILL
/// at the k-th, for every k, to prove that a kill at each instant leaves a restorable file.
/// </summary>
internal static class CrashPoints
{
    /// <summary>Test-only listener (set by the child writer through InternalsVisibleTo).</summary>
    internal static Action<string>? Listener;

    /// <summary>True only in the crash tests' child: lets a caller skip building a step's name in production.</summary>
    public static bool IsListening => Listener is not null;

    public static void Reach(string step) => Listener?.Invoke(step);
}
