using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using CapMap.Messages;
using CapMap.Platform;

namespace CapMap.PowerShell;

/// <summary>
/// Loads CapMap.format.ps1xml into a runspace the first time a cmdlet that outputs one of its types runs there,
/// instead of at Import-Module.
/// </summary>
/// <remarks>
/// A module's FormatsToProcess makes Import-Module rebuild the session's whole format database (PowerShell's own
/// views included, which a session otherwise builds only when it first formats something): about 80 ms of CPU and
/// 0.3 s of wall time on every import, measured in fresh processes (docs/benchmarks.md, "Workload 6"). The
/// everyday pipelines (Import-Csv | Export-CapnpMessage, Import-CapnpMessage | Where-Object) output no type the
/// file has a view for, so they should not pay it. Cmdlets whose [OutputType] names one of <see cref="FormattedTypes"/>
/// load it in BeginProcessing, before their first object can reach Out-Default.
/// </remarks>
internal static class LazyFormatData
{
    /// <summary>The file next to the module's assembly (build.ps1 lays it out there).</summary>
    internal const string FileName = "CapMap.format.ps1xml";

    /// <summary>
    /// Every type CapMap.format.ps1xml has a view for (ViewSelectedBy); Module.Tests.ps1 checks the two agree.
    /// CapnpSegmentInfo is only ever reached through CapnpMessageInfo.Segments, so the cmdlet that outputs the
    /// message info loads its view as well.
    /// </summary>
    internal static readonly Type[] FormattedTypes =
    [
        typeof(CapnpMappedMessage), typeof(CapnpMessageSummary), typeof(CapnpMessageInfo), typeof(CapnpSegmentInfo),
        typeof(CapnpSchema), typeof(CapnpResizeResult), typeof(RepairResult), typeof(PlatformReport),
    ];

    // Per cmdlet class: whether its [OutputType] names a formatted type (read once, by reflection).
    private static readonly ConcurrentDictionary<Type, bool> OutputsFormattedType = new();

    // Runspaces that have the file; weak, so a closed runspace is not kept alive by this table.
    private static readonly ConditionalWeakTable<Runspace, object> LoadedInto = new();

    /// <summary>Loads the format file into the cmdlet's runspace if the cmdlet outputs a formatted type and it is not loaded yet.</summary>
    internal static void EnsureLoadedFor(PSCmdlet cmdlet)
    {
        if (!OutputsFormattedType.GetOrAdd(cmdlet.GetType(), DeclaresFormattedOutput))
        {
            return;
        }
        Runspace? runspace = Runspace.DefaultRunspace;
        if (runspace is null || LoadedInto.TryGetValue(runspace, out _))
        {
            return;
        }
        string path = Path.Combine(Path.GetDirectoryName(typeof(LazyFormatData).Assembly.Location) ?? "", FileName);
        if (File.Exists(path))
        {
            // A nested pipeline on the cmdlet's own runspace and thread: Update-FormatData is the public way to add
            // format data to a running session. Invoked through its CmdletInfo where the type is found, because
            // calling it by name imports the Microsoft.PowerShell.Utility module first, which a fresh pwsh has not
            // loaded yet (about 90 ms of CPU, measured in a fresh pwsh); by its module-qualified name otherwise, so that a user's
            // function named Update-FormatData is never called.
            using var update = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            // The cmdlet behind Update-FormatData, from the assembly PowerShell ships it in (null if a version moves it).
            if (Type.GetType("Microsoft.PowerShell.Commands.UpdateFormatDataCommand, Microsoft.PowerShell.Commands.Utility", throwOnError: false) is { } command)
            {
                update.AddScript("& $args[0] -AppendPath $args[1]").AddArgument(new CmdletInfo("Update-FormatData", command)).AddArgument(path);
            }
            else
            {
                update.AddCommand(@"Microsoft.PowerShell.Utility\Update-FormatData").AddParameter("AppendPath", path);
            }
            update.Invoke();
            foreach (ErrorRecord error in update.Streams.Error)
            {
                // The objects still come out, just without CapMap's views: worth a warning, not a failed command.
                cmdlet.WriteWarning($"CapMap's format file could not be loaded ({path}): {error}");
            }
        }
        LoadedInto.AddOrUpdate(runspace, path);
    }

    private static bool DeclaresFormattedOutput(Type cmdletType)
    {
        foreach (OutputTypeAttribute output in cmdletType.GetCustomAttributes(typeof(OutputTypeAttribute), inherit: true))
        {
            foreach (PSTypeName name in output.Type)
            {
                if (name.Type is not null && Array.IndexOf(FormattedTypes, name.Type) >= 0)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
