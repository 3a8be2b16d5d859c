using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Management.Automation;
using CapMap.PowerShell.Commands;
using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// Loads schemas from files: a .capnp file is compiled with the reference tool (<c>capnp compile -o-</c>), a
/// precompiled CodeGeneratorRequest is read as it is. Results are cached per file (path, size, time, import
/// paths) so -Schema given as a path and tab completion do not run the compiler again and again.
/// </summary>
internal static class SchemaFiles
{
    private static readonly TimeSpan CompileTimeout = TimeSpan.FromMinutes(2);
    private static readonly ConcurrentDictionary<string, (long Length, DateTime Written, CapnpSchema Schema)> Cache = new();

    /// <summary>The install hint shown when the compiler is missing.</summary>
    public const string InstallHint =
        "Install the Cap'n Proto tools (Debian/Ubuntu: 'apt-get install capnproto'), set CAPNP to the capnp executable, " +
        "or load a precompiled schema (capnp compile -o- x.capnp > x.capnp.bin, or Import-CapnpSchema -SavePrecompiled).";

    /// <summary>Loads (or returns the cached) schema of <paramref name="fullPath"/>.</summary>
    /// <exception cref="CapMapErrorException">CapnpToolNotFound, SchemaCompileFailed, InvalidSchema, PathNotFound.</exception>
    public static CapnpSchema Load(string fullPath, IReadOnlyList<string>? importPaths = null)
    {
        importPaths ??= Array.Empty<string>();
        var info = new FileInfo(fullPath);
        if (!info.Exists)
        {
            throw new CapMapErrorException(ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound,
                Directory.Exists(fullPath) ? $"'{fullPath}' is a directory, not a schema file." : $"The schema file '{fullPath}' does not exist.",
                fullPath);
        }
        string key = fullPath + "\n" + string.Join("\n", importPaths);
        if (Cache.TryGetValue(key, out var hit) && hit.Length == info.Length && hit.Written == info.LastWriteTimeUtc)
            return hit.Schema;

        var schema = LoadUncached(fullPath, importPaths);
        Cache[key] = (info.Length, info.LastWriteTimeUtc, schema);
        return schema;
    }

    private static CapnpSchema LoadUncached(string fullPath, IReadOnlyList<string> importPaths)
    {
        string name = Path.GetFileName(fullPath);
        if (name.EndsWith(".capnp", StringComparison.OrdinalIgnoreCase))
            return Compile(fullPath, importPaths);

        byte[] bytes = File.ReadAllBytes(fullPath);
        bool binaryName = name.EndsWith(".bin", StringComparison.OrdinalIgnoreCase);
        try
        {
            return CapnpSchema.FromRequest(bytes, fullPath, CapnpSchemaSource.Precompiled, importPaths);
        }
        catch (Exception e) when (e is CapnpSchemaException or CapnpFormatException)
        {
            // Not a request. A text file is a schema source under another name; anything else is garbage.
            if (!binaryName && LooksLikeText(bytes))
                return Compile(fullPath, importPaths);
            throw new CapMapErrorException(ErrorIds.InvalidSchema, ErrorCategory.InvalidData,
                $"'{fullPath}' is neither a .capnp schema nor a precompiled CodeGeneratorRequest (capnp compile -o-): {e.Message}",
                fullPath, e);
        }
    }

    private static bool LooksLikeText(byte[] bytes)
    {
        int n = Math.Min(bytes.Length, 4096);
        if (n == 0) return false;
        for (int i = 0; i < n; i++)
            if (bytes[i] == 0) return false;
        return true;
    }

    /// <summary>The capnp executable: $CAPNP if set, else the first 'capnp' on PATH; null when there is none.</summary>
    public static string? FindCapnp()
    {
        string? configured = Environment.GetEnvironmentVariable("CAPNP");
        if (!string.IsNullOrEmpty(configured))
            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "capnp");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static CapnpSchema Compile(string fullPath, IReadOnlyList<string> importPaths)
    {
        string capnp = FindCapnp() ?? throw new CapMapErrorException(ErrorIds.CapnpToolNotFound,
            ErrorCategory.NotInstalled,
            $"Compiling '{Path.GetFileName(fullPath)}' needs the Cap'n Proto compiler 'capnp', which was not found " +
            $"({(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CAPNP")) ? "not on PATH" : "CAPNP points to a missing file")}). {InstallHint}",
            fullPath);

        string directory = Path.GetDirectoryName(fullPath)!;
        var psi = new ProcessStartInfo(capnp)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        psi.ArgumentList.Add("compile");
        psi.ArgumentList.Add("-o-");
        // Names inside the request become "ops.capnp:Record" instead of carrying this machine's directories.
        psi.ArgumentList.Add("--src-prefix=" + directory);
        foreach (string import in importPaths) psi.ArgumentList.Add("-I" + import);
        psi.ArgumentList.Add(fullPath);

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new Win32Exception($"Could not start '{capnp}'.");
        }
        catch (Win32Exception e)
        {
            throw new CapMapErrorException(ErrorIds.CapnpToolNotFound, ErrorCategory.NotInstalled,
                $"The Cap'n Proto compiler '{capnp}' could not be started ({e.Message}). {InstallHint}", fullPath, e);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            using var stdout = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
            if (!process.WaitForExit((int)CompileTimeout.TotalMilliseconds))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                throw new CapMapErrorException(ErrorIds.SchemaCompileFailed, ErrorCategory.OperationTimeout,
                    $"'capnp compile' did not finish '{Path.GetFileName(fullPath)}' within {CompileTimeout.TotalSeconds:0} seconds.", fullPath);
            }
            copy.GetAwaiter().GetResult();
            string errors = stderr.GetAwaiter().GetResult().Trim();
            if (process.ExitCode != 0)
            {
                throw new CapMapErrorException(ErrorIds.SchemaCompileFailed, ErrorCategory.InvalidData,
                    $"'capnp compile' rejected '{Path.GetFileName(fullPath)}' (exit code {process.ExitCode}): {errors}", fullPath);
            }
            byte[] request = stdout.ToArray();
            try
            {
                return CapnpSchema.FromRequest(request, fullPath, CapnpSchemaSource.CapnpFile, importPaths);
            }
            catch (Exception e) when (e is CapnpSchemaException or CapnpFormatException)
            {
                throw new CapMapErrorException(ErrorIds.InvalidSchema, ErrorCategory.InvalidData,
                    $"The CodeGeneratorRequest capnp wrote for '{Path.GetFileName(fullPath)}' could not be read: {e.Message}", fullPath, e);
            }
        }
    }

    /// <summary>
    /// Turns a -Schema argument into a schema: a <see cref="CapnpSchema"/>, a <see cref="SchemaSet"/>, a path
    /// (string; relative to <paramref name="currentDirectory"/>) or a <see cref="FileSystemInfo"/>.
    /// </summary>
    public static CapnpSchema Resolve(object? value, Func<string, string> resolvePath)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        switch (value)
        {
            case CapnpSchema schema:
                return schema;
            case FileSystemInfo file:
                return Load(file.FullName);
            case string path when !string.IsNullOrWhiteSpace(path):
                return Load(resolvePath(path));
            case null:
                throw new CapMapErrorException(ErrorIds.SchemaRequired, ErrorCategory.InvalidArgument,
                    "-Schema is required: pass the object Import-CapnpSchema returns, or the path of a .capnp or precompiled schema file.");
            default:
                throw new CapMapErrorException(ErrorIds.InvalidSchema, ErrorCategory.InvalidArgument,
                    $"-Schema takes the object Import-CapnpSchema returns or a schema file path, not a {value.GetType().Name}.", value);
        }
    }
}
