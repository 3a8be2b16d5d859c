using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace CapMap.Tests.Interop;

/// <summary>
/// Runs the reference <c>capnp</c> tool (Cap'n Proto 0.9.2, Debian package <c>capnproto</c>) as a test oracle.
/// The tool is required: when it is missing the helpers throw with a clear message instead of skipping.
/// Set <c>CAPNP</c> to use a binary other than the <c>capnp</c> found on PATH.
/// </summary>
internal static class CapnpTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The executable that is run.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("CAPNP") is { Length: > 0 } p ? p : "capnp";

    /// <summary>Folder with the test schemas (copied from tests/Unit/Schemas to the test output).</summary>
    public static string SchemaDirectory => Path.Combine(AppContext.BaseDirectory, "Schemas");

    /// <summary>Full path of a schema file: a name relative to <see cref="SchemaDirectory"/>, or an absolute path.</summary>
    public static string SchemaPath(string schemaFile)
    {
        string path = Path.IsPathRooted(schemaFile) ? schemaFile : Path.Combine(SchemaDirectory, schemaFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Schema file '{schemaFile}' not found (looked for {path}).", path);
        return path;
    }

    /// <summary>
    /// Finds a schema that ships with Cap'n Proto (e.g. <c>capnp/schema.capnp</c>) the way <c>capnp</c> does:
    /// in <c>$CAPNP_INCLUDE</c>, then the include folder next to the tool's bin folder, then the standard import
    /// folders (<c>/usr/local/include</c>, <c>/usr/include</c>). Returns (import root, relative name).
    /// </summary>
    public static (string ImportRoot, string RelativePath) FindStandardSchema(string relativePath)
    {
        var roots = new List<string>();
        if (Environment.GetEnvironmentVariable("CAPNP_INCLUDE") is { Length: > 0 } env) roots.Add(env);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, Executable)))
                roots.Add(Path.GetFullPath(Path.Combine(dir, "..", "include")));
        roots.Add("/usr/local/include");
        roots.Add("/usr/include");
        foreach (var root in roots)
            if (File.Exists(Path.Combine(root, relativePath)))
                return (root, relativePath);
        throw new CapnpToolException(
            $"'{relativePath}' was not found in {string.Join(", ", roots)}; install libcapnp-dev or set CAPNP_INCLUDE.");
    }

    /// <summary>
    /// Runs <c>capnp args...</c> in <paramref name="workingDirectory"/> (default: the schema folder), feeds
    /// <paramref name="stdin"/>, returns stdout. Throws <see cref="CapnpToolException"/> with stderr on a non-zero exit.
    /// </summary>
    public static byte[] Run(IEnumerable<string> args, byte[]? stdin = null, string? workingDirectory = null)
    {
        var argList = args.ToList();
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? SchemaDirectory,
        };
        foreach (var a in argList) psi.ArgumentList.Add(a);
        string commandLine = $"{Executable} {string.Join(' ', argList)}";

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new CapnpToolException($"Could not start '{commandLine}'.");
        }
        catch (Win32Exception e)
        {
            throw new CapnpToolException(
                $"The Cap'n Proto tool '{Executable}' is required by the interop tests but could not be started ({e.Message}). " +
                "Install it (apt-get install capnproto libcapnp-dev) or set CAPNP to its path.", e);
        }

        using (process)
        {
            var stdout = new MemoryStream();
            var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
            var readErr = process.StandardError.ReadToEndAsync();
            var writeIn = Task.Run(() =>
            {
                try
                {
                    if (stdin is { Length: > 0 }) process.StandardInput.BaseStream.Write(stdin);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The tool exited before reading all input; its exit code and stderr tell why.
                }
            });
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new CapnpToolException($"'{commandLine}' did not finish within {Timeout}.");
            }
            Task.WaitAll(copyOut, readErr, writeIn);
            if (process.ExitCode != 0)
                throw new CapnpToolException($"'{commandLine}' failed with exit code {process.ExitCode}:\n{readErr.Result}");
            return stdout.ToArray();
        }
    }

    /// <summary>
    /// <c>capnp compile -o- file</c>: the stream-framed CodeGeneratorRequest. Runs in the schema file's folder with
    /// the bare file name, so display names are relative (<c>interop.capnp:AllTypes</c>).
    /// </summary>
    public static byte[] CompileRequest(string schemaFile = "interop.capnp", params string[] importPaths)
    {
        string path = SchemaPath(schemaFile);
        return Run(["compile", "-o-", .. importPaths.Select(i => $"-I{i}"), Path.GetFileName(path)],
            workingDirectory: Path.GetDirectoryName(path));
    }

    /// <summary><c>capnp compile -ocapnp file</c>: the schema re-printed with field offsets and struct sizes.</summary>
    public static string CompileToCapnpText(string schemaFile, string? workingDirectory = null, params string[] importPaths)
    {
        string path = workingDirectory is null ? SchemaPath(schemaFile) : Path.Combine(workingDirectory, schemaFile);
        string dir = workingDirectory ?? Path.GetDirectoryName(path)!;
        string name = workingDirectory is null ? Path.GetFileName(path) : schemaFile;
        return Encoding.UTF8.GetString(Run(["compile", "-ocapnp", .. importPaths.Select(i => $"-I{i}"), name], workingDirectory: dir));
    }

    /// <summary><c>capnp convert from:to [--segment-size=N] schema Type</c>.</summary>
    public static byte[] Convert(string from, string to, byte[] input, string schemaFile, string rootType,
        int? segmentSize = null, IEnumerable<string>? importPaths = null)
    {
        string path = SchemaPath(schemaFile);
        var args = new List<string> { "convert", $"{from}:{to}" };
        if (segmentSize is { } n)
        {
            if (n <= 0) throw new ArgumentOutOfRangeException(nameof(segmentSize), n, "segment size must be positive");
            args.Add($"--segment-size={n}");
        }
        if (importPaths is not null) args.AddRange(importPaths.Select(i => $"-I{i}"));
        args.Add(Path.GetFileName(path));
        args.Add(rootType);
        return Run(args, input, Path.GetDirectoryName(path));
    }

    /// <summary><c>capnp convert binary:json</c>: a stream-framed message to (pretty) JSON text.</summary>
    public static string BinaryToJson(byte[] message, string rootType, string schemaFile = "interop.capnp", bool shortJson = false)
    {
        string path = SchemaPath(schemaFile);
        var args = new List<string> { "convert", "binary:json" };
        if (shortJson) args.Add("--short");
        args.Add(Path.GetFileName(path));
        args.Add(rootType);
        return Encoding.UTF8.GetString(Run(args, message, Path.GetDirectoryName(path)));
    }

    /// <summary>
    /// <c>capnp convert json:binary</c>: JSON to a stream-framed message; a small <paramref name="segmentSize"/>
    /// (in words) makes a multi-segment message with far pointers. Note capnp 0.9.2's JSON parser mangles
    /// <c>\u</c> escapes of non-ASCII characters: put such characters in the JSON as raw UTF-8.
    /// </summary>
    public static byte[] JsonToBinary(string json, string rootType, string schemaFile = "interop.capnp", int? segmentSize = null) =>
        Convert("json", "binary", Encoding.UTF8.GetBytes(json), schemaFile, rootType, segmentSize);

    /// <summary><c>capnp convert text:binary</c>: a schema-language struct literal, e.g. <c>(id = 1, name = "x")</c>.</summary>
    public static byte[] TextToBinary(string text, string rootType, string schemaFile = "interop.capnp", int? segmentSize = null) =>
        Convert("text", "binary", Encoding.UTF8.GetBytes(text), schemaFile, rootType, segmentSize);

    /// <summary><c>capnp convert binary:text</c>: a message as a schema-language struct literal.</summary>
    public static string BinaryToText(byte[] message, string rootType, string schemaFile = "interop.capnp") =>
        Encoding.UTF8.GetString(Convert("binary", "text", message, schemaFile, rootType));
}

/// <summary>The <c>capnp</c> tool is missing or reported an error.</summary>
internal sealed class CapnpToolException : Exception
{
    public CapnpToolException(string message) : base(message) { }
    public CapnpToolException(string message, Exception inner) : base(message, inner) { }
}
