using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using CapMap.PowerShell.Internal;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Shared plumbing for CapMap cmdlets: cancellation, error records with stable ids, and path resolution.
/// </summary>
public abstract class CapMapCmdletBase : PSCmdlet, IDisposable
{
    /// <summary>The parameter set of -Path (wildcards expanded, where a cmdlet takes existing files).</summary>
    protected const string PathSet = "Path";

    /// <summary>The parameter set of -LiteralPath (taken as written).</summary>
    protected const string LiteralPathSet = "LiteralPath";

    private const string FileSystemProviderName = "FileSystem";

    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>
    /// Cancelled when the user presses Ctrl+C or the pipeline is stopped. Long core operations take this
    /// token because StopProcessing runs on another thread and cannot interrupt them any other way.
    /// </summary>
    protected CancellationToken StoppingToken => _stopping.Token;

    /// <summary>
    /// Loads CapMap's format views into this runspace if this cmdlet outputs a type they cover and they are not
    /// loaded yet (<see cref="LazyFormatData"/>: not at import, so pipelines that format nothing do not pay for
    /// them). A cmdlet that overrides BeginProcessing calls this base first.
    /// </summary>
    protected override void BeginProcessing() => LazyFormatData.EnsureLoadedFor(this);

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

    /// <summary>Stops the command with an error a helper raised (it already carries its ErrorId and category).</summary>
    [DoesNotReturn]
    protected void ThrowTerminating(CapMapErrorException error)
        => ThrowTerminating(error.ErrorId, error.Category, error, error.Target);

    /// <summary>Reports an error a helper raised as non-terminating.</summary>
    protected void WriteNonTerminating(CapMapErrorException error)
        => WriteNonTerminating(error.ErrorId, error.Category, error, error.Target);

    /// <summary>
    /// The ErrorId and category of an I/O failure whose cause is not a refused access: <see cref="ErrorIds.FileAccessFailed"/>
    /// (opening, locking, mapping or changing a file failed) for cmdlets that write; cmdlets that only read say
    /// <see cref="ErrorIds.ReadFailed"/>. The errno is in the message either way.
    /// </summary>
    private protected virtual (string ErrorId, ErrorCategory Category) IOFailure => (ErrorIds.FileAccessFailed, ErrorCategory.OpenError);

    /// <summary>
    /// Maps a core exception that ends the command (file locked, failed growth, capacity, ...) to its ErrorId.
    /// This is the one place a cause becomes an ErrorId, so every cmdlet names the same cause the same way
    /// (docs/cmdlets.md, "Causes of file errors"): a refused access (EACCES, EPERM, EROFS) is AccessDenied wherever
    /// it happens; a failure while a message grows is MessageFailed (its file keeps the last checkpoint), whatever
    /// the errno; other I/O failures are the cmdlet's <see cref="IOFailure"/>. Returns false for exceptions that are
    /// not CapMap's to classify (they propagate unchanged).
    /// </summary>
    internal bool TryClassify(Exception exception, out string errorId, out ErrorCategory category)
    {
        (errorId, category) = exception switch
        {
            CapMapErrorException e => (e.ErrorId, e.Category),
            CapMap.Objects.CapnpValueException => (ErrorIds.RecordConversionFailed, ErrorCategory.InvalidData),
            CapMap.Mapping.MappedFileExistsException => (ErrorIds.FileExists, ErrorCategory.ResourceExists),
            CapMap.Mapping.FileLockedException => (ErrorIds.FileLocked, ErrorCategory.ResourceBusy),
            CapMap.IO.FileTruncatedException => (ErrorIds.FileTruncated, ErrorCategory.ReadError),
            CapMap.Messages.MappedMessageFailedException => (ErrorIds.MessageFailed, ErrorCategory.WriteError),
            CapMap.Mapping.MappedFileFailedException => (ErrorIds.MessageFailed, ErrorCategory.WriteError),
            CapMap.Mapping.MappedFileException { IsAccessDenied: true } => (ErrorIds.AccessDenied, ErrorCategory.PermissionDenied),
            CapMap.Mapping.MappedFileException => IOFailure,
            CapMap.Wire.CapnpCapacityException => (ErrorIds.CapacityExceeded, ErrorCategory.LimitsExceeded),
            CapMap.Messages.CheckpointDataDamagedException => (ErrorIds.CheckpointDataDamaged, ErrorCategory.InvalidData),
            CapMap.Messages.MessageRepairException => (ErrorIds.RepairFailed, ErrorCategory.InvalidData),
            CapMap.Messages.ForeignMessageFileException => (ErrorIds.NotWrittenByCapMap, ErrorCategory.PermissionDenied),
            CapMap.Messages.SchemaMismatchException => (ErrorIds.SchemaMismatch, ErrorCategory.InvalidArgument),
            CapMap.Messages.MessageNotFoundException => (ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound),
            CapMap.Wire.CapnpFormatException => (ErrorIds.InvalidMessageFile, ErrorCategory.InvalidData),
            CapMap.Objects.Codecs.NoCarriedSchemaException => (ErrorIds.NoEmbeddedSchema, ErrorCategory.InvalidArgument),
            // Past its budget, a schema a file carries makes the file invalid, not the user's schema.
            CapMap.Schema.SchemaBudgetException => (ErrorIds.InvalidMessageFile, ErrorCategory.InvalidData),
            CapMap.Schema.CapnpSchemaException => (ErrorIds.InvalidSchema, ErrorCategory.InvalidData),
            FileNotFoundException => (ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound),
            DirectoryNotFoundException => (ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound),
            UnauthorizedAccessException => (ErrorIds.AccessDenied, ErrorCategory.PermissionDenied),
            IOException => IOFailure,
            _ => (string.Empty, ErrorCategory.NotSpecified),
        };
        return errorId.Length > 0;
    }

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

    /// <summary>Resolves a -Schema argument (schema object or file path; relative paths against $PWD) or stops the command.</summary>
    protected CapnpSchema ResolveSchema(object? schema)
    {
        try
        {
            return Internal.SchemaFiles.Resolve(schema, path => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
        }
        catch (CapMapErrorException e)
        {
            ThrowTerminating(e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminating(ErrorIds.InvalidSchema, ErrorCategory.ReadError, e, schema);
        }
        return null!;
    }

    /// <summary>
    /// Resolves a -Schema argument and the -RootType in it (the schema's only root candidate when no root type is
    /// given), or stops the command: what every cmdlet that takes -Schema and -RootType does with them.
    /// </summary>
    protected (CapnpSchema Schema, CapMap.Schema.StructSchema Root) ResolveSchemaAndRoot(object? schema, string rootType)
    {
        var resolved = ResolveSchema(schema);
        if (rootType.Length == 0 && resolved.RootCandidates.Length == 1) rootType = resolved.RootCandidates[0];
        return (resolved, ResolveRootType(resolved, rootType));
    }

    /// <summary>Finds -RootType in the schema or stops the command (RootTypeNotFound, RootTypeAmbiguous).</summary>
    private CapMap.Schema.StructSchema ResolveRootType(CapnpSchema schema, string rootType)
    {
        try
        {
            return schema.GetStruct(rootType);
        }
        catch (CapMapErrorException e)
        {
            ThrowTerminating(e);
        }
        return null!;
    }

    /// <summary>Resolves -Field under the root or stops the command (FieldNotFound, FieldRequired, FieldTypeNotSupported).</summary>
    internal CapMap.Objects.FieldPath? ResolveField(CapMap.Schema.StructSchema root, string? field, bool rootIfNoList)
    {
        try
        {
            return CapMap.Objects.FieldPath.Resolve(root, field, rootIfNoList);
        }
        catch (CapMap.Objects.FieldPathException e)
        {
            var (id, category) = e.Error switch
            {
                CapMap.Objects.FieldPathError.NotFound => (ErrorIds.FieldNotFound, ErrorCategory.ObjectNotFound),
                CapMap.Objects.FieldPathError.Required => (ErrorIds.FieldRequired, ErrorCategory.InvalidArgument),
                _ => (ErrorIds.FieldTypeNotSupported, ErrorCategory.InvalidArgument),
            };
            ThrowTerminating(new CapMapErrorException(id, category, $"-Field: {e.Message}", e.Path, e));
        }
        return null;
    }

    /// <summary>Runs <paramref name="action"/>, turning a CapMap or core failure into a terminating error with its ErrorId.</summary>
    protected T RunOrThrow<T>(Func<T> action, object? target)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (TryClassify(e, out string id, out ErrorCategory category))
        {
            ThrowTerminating(id, category, e, e is CapMapErrorException c && c.Target is not null ? c.Target : target);
        }
        return default!;
    }

    /// <summary>Runs <paramref name="action"/>; a CapMap or core failure becomes a non-terminating error. Returns false then.</summary>
    protected bool TryRun(Action action, object? target)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception e) when (TryClassify(e, out string id, out ErrorCategory category))
        {
            WriteNonTerminating(id, category, e, e is CapMapErrorException c && c.Target is not null ? c.Target : target);
            return false;
        }
    }

    /// <summary>
    /// Resolves a path for a file to create and checks it before any ShouldProcess: a directory there is
    /// PathIsDirectory, an existing file without <paramref name="force"/> is FileExists (and stays untouched).
    /// </summary>
    protected string ResolveNewFile(string path, bool force)
    {
        string resolved = ResolveNewFilePath(path);
        if (Directory.Exists(resolved))
        {
            ThrowTerminating(ErrorIds.PathIsDirectory, ErrorCategory.InvalidArgument,
                new ArgumentException($"'{resolved}' is a directory; a file path is expected."), resolved);
        }
        if (File.Exists(resolved) && !force)
        {
            ThrowTerminating(ErrorIds.FileExists, ErrorCategory.ResourceExists,
                new IOException($"'{resolved}' already exists. Use -Force to replace it."), resolved);
        }
        string? parent = Path.GetDirectoryName(resolved);
        if (!string.IsNullOrEmpty(parent) && !Directory.Exists(parent))
        {
            ThrowTerminating(ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound,
                new DirectoryNotFoundException($"The directory '{parent}' does not exist."), resolved);
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

    /// <summary>
    /// Tells (as verbose output: nothing is lost) each time the file got a message under another schema because the
    /// records' shape changed, or because appended objects have another shape than the file's last message.
    /// </summary>
    private protected void ReportSchemaChanges(CapnpMappedMessage message)
    {
        foreach (var change in message.TakeSchemaChanges())
        {
            WriteVerbose(change.RecordIndex is { } index
                ? $"Record {index} did not fit the schema inferred so far ({change.Reason}); it and the records after it go on in a next message of '{message.Path}' whose schema is widened by it."
                : $"The objects appended to '{message.Path}' are written in a new message under their own schema: {change.Reason}.");
        }
    }

    /// <summary>
    /// One warning per path where values with properties were written as their text, with the records it took, once
    /// the writing is done (the wording is documented in docs/object-conversion.md, "Depth").
    /// </summary>
    private protected void WarnWrittenAsText(CapnpMappedMessage message)
    {
        foreach (var warning in TextPathWarning.For(message.TakeValuesWrittenAsText()))
            WriteWarning(warning);
    }
}
