using System.ComponentModel;
using System.Diagnostics;

namespace CapMap.Tests.Interop;

/// <summary>Runs a tool the interop tests need (node, g++, a program they built) and returns its stdout; a missing tool, a non-zero exit or a hang is an exception, never a skip.</summary>
internal static class ToolProcess
{
    /// <param name="program">The executable.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="timeout">How long it may take.</param>
    /// <param name="needed">Who needs the tool and how to get it, for the message when it cannot be started.</param>
    /// <param name="workingDirectory">Where it runs (default: the current directory).</param>
    public static string Run(string program, IEnumerable<string> args, TimeSpan timeout, string needed, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false, WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        string commandLine = $"{program} {string.Join(' ', psi.ArgumentList)}";

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start '{commandLine}'.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"'{program}' could not be started ({e.Message}); {needed}", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'{commandLine}' did not finish within {timeout}.");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"'{commandLine}' failed with exit code {process.ExitCode}:\n{stderr.Result}");
            return stdout.Result;
        }
    }
}
