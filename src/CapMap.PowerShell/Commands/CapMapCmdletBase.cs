using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Shared plumbing for CapMap cmdlets: cancellation, error records with stable ids, and path resolution.
/// </summary>
public abstract class CapMapCmdletBase : PSCmdlet, IDisposable
{
    /// <summary>Stable ErrorIds raised by this base class; tests assert them with <c>Should -Throw -ErrorId</c>.</summary>
    public static class ErrorIds
    {
        public const string PathNotFound = "PathNotFound";
        public const string PathIsDirectory = "PathIsDirectory";
        public const string NotFileSystemPath = "NotFileSystemPath";
    }

    private const string FileSystemProviderName = "FileSystem";

    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>
    /// Cancelled when the user presses Ctrl+C or the pipeline is stopped. Long core operations take this
    /// token because StopProcessing runs on another thread and cannot interrupt them any other way.
    /// </summary>
    protected CancellationToken StoppingToken => _stopping.Token;

    /// <inheritdoc />
    protected override void StopProcessing()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Stop can race with the end of the pipeline; once disposed there is nothing left to cancel.
        }
        base.StopProcessing();
    }

    /// <summary>Builds an ErrorRecord; the ErrorId must stay stable because scripts and tests match on it.</summary>
    protected static ErrorRecord CreateErrorRecord(string errorId, ErrorCategory category, Exception exception, object? target)
        => new(exception, errorId, category, target);

    /// <summary>Stops the whole command: use when nothing after this point can succeed.</summary>
    [DoesNotReturn]
    protected void ThrowTerminating(string errorId, ErrorCategory category, Exception exception, object? target)
    {
        ThrowTerminatingError(CreateErrorRecord(errorId, category, exception, target));
        // ThrowTerminatingError always throws, but it is not annotated, so the compiler needs to be told.
        throw new InvalidOperationException("unreachable", exception);
    }

    /// <summary>Reports one bad input and lets the pipeline go on with the next one.</summary>
    protected void WriteNonTerminating(string errorId, ErrorCategory category, Exception exception, object? target)
        => WriteError(CreateErrorRecord(errorId, category, exception, target));

    /// <summary>
    /// Resolves <paramref name="path"/> to existing files on the FileSystem provider. With
    /// <paramref name="literal"/> false (-Path) wildcards are expanded; with true (-LiteralPath) characters
    /// such as '[' are taken as written. Problems are reported as non-terminating errors and the bad input
    /// is skipped, so one wrong name in a list does not stop the others.
    /// </summary>
    protected IReadOnlyList<string> ResolveExistingFiles(string path, bool literal)
    {
        var files = new List<string>();
        Collection<string> candidates;
        ProviderInfo provider;

        if (literal)
        {
            string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            candidates = new Collection<string> { resolved };
        }
        else
        {
            try
            {
                candidates = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
            }
            catch (ItemNotFoundException e)
            {
                WriteNonTerminating(ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, e, path);
                return files;
            }
        }

        if (!IsFileSystem(provider))
        {
            WriteNonTerminating(ErrorIds.NotFileSystemPath, ErrorCategory.InvalidArgument,
                new ArgumentException($"Path '{path}' is on the {provider.Name} provider; CapMap works with files only."), path);
            return files;
        }

        // A wildcard that matches nothing resolves to an empty list without an error. Cmdlets that take
        // message files report it anyway: silently doing nothing looks like success to the user.
        if (candidates.Count == 0)
        {
            WriteNonTerminating(ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound,
                new ItemNotFoundException($"Cannot find any file matching '{path}'."), path);
            return files;
        }

        foreach (string candidate in candidates)
        {
            if (Directory.Exists(candidate))
            {
                WriteNonTerminating(ErrorIds.PathIsDirectory, ErrorCategory.InvalidArgument,
                    new ArgumentException($"Path '{candidate}' is a directory; a file is expected."), candidate);
            }
            else if (!File.Exists(candidate))
            {
                WriteNonTerminating(ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound,
                    new ItemNotFoundException($"Cannot find path '{candidate}' because it does not exist."), candidate);
            }
            else
            {
                files.Add(candidate);
            }
        }
        return files;
    }

    /// <summary>
    /// Turns a PowerShell path for a file that may not exist yet into a provider path. Relative paths
    /// resolve against the PowerShell location ($PWD), which differs from the process working directory
    /// that System.IO would use. Nothing is created and no wildcards are expanded.
    /// </summary>
    protected string ResolveNewFilePath(string path)
    {
        string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
        if (!IsFileSystem(provider))
        {
            ThrowTerminating(ErrorIds.NotFileSystemPath, ErrorCategory.InvalidArgument,
                new ArgumentException($"Path '{path}' is on the {provider.Name} provider; CapMap writes files only."), path);
        }
        return resolved;
    }

    private static bool IsFileSystem(ProviderInfo provider)
        => string.Equals(provider.Name, FileSystemProviderName, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// PowerShell disposes IDisposable cmdlets when the pipeline ends, stopped or not, so this is the
    /// one place per-call resources are sure to be released.
    /// </summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Derived cmdlets release their per-call resources here and then call the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }
        if (disposing)
        {
            _stopping.Dispose();
        }
        _disposed = true;
    }
}
