using System.Diagnostics;

namespace CapMap.Tests.Messages;

/// <summary>Runs tests/TestWriter as a separate process, so a test can kill it, limit it or put it in a cgroup.</summary>
internal static class ChildWriter
{
    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "CapMap.TestWriter.dll");

    public static ProcessStartInfo StartInfo(string path, long records, long checkpointEvery, string growth, long? reserve = null, int payload = 0, string? shellPrefix = null)
    {
        string arguments = $"\"{AssemblyPath}\" \"{path}\" {records} {checkpointEvery} {growth} {reserve ?? (64L << 30)} {payload}";
        var info = shellPrefix is null
            ? new ProcessStartInfo("dotnet", arguments)
            : new ProcessStartInfo("bash", new[] { "-c", $"{shellPrefix}; exec dotnet {arguments}" });
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return info;
    }

    public static (int ExitCode, string Output, string Error) Run(ProcessStartInfo info, TimeSpan timeout)
    {
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The child writer did not finish within {timeout}.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
