<#
.SYNOPSIS
    Runs the Pester tests. build.ps1 starts this in a child `pwsh -NoProfile -NonInteractive` so the
    module's assemblies load into a process that ends with the test run.

.DESCRIPTION
    Pester comes from NuGet (the PowerShell Gallery is not reachable), so it is imported by manifest path
    rather than by name. The process exit code is Pester's: 0 when everything passed, otherwise the number
    of failed tests, blocks and containers (Run.Exit).

    Before running, a discovery pass (Run.SkipRun) writes the number of tests discovered to
    -DiscoveryPath, so that the parent can count the tests that never ran if this process dies mid-run.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $OutputPath,
    # Tests read this to know which built module to import.
    [Parameter(Mandatory)] [string] $ModuleManifest,
    # Receives the number of tests discovered, written before any test runs.
    [Parameter(Mandatory)] [string] $DiscoveryPath,
    # The parent passes this when its own output is redirected (CI logs): our stdout is always a pipe to
    # the parent, so this process cannot tell by itself whether a terminal is at the end.
    [switch] $PlainOutput
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$env:CAPMAP_MODULE_MANIFEST = $ModuleManifest
Import-Module -Name $PesterManifest -Force

# Discovery only: nothing runs, nothing is written but the count.
$discovery = New-PesterConfiguration
$discovery.Run.Path = $TestPath
$discovery.Run.SkipRun = $true
$discovery.Run.PassThru = $true
$discovery.Output.Verbosity = 'None'
$discovered = Invoke-Pester -Configuration $discovery
Set-Content -LiteralPath $DiscoveryPath -Value $discovered.TotalCount -NoNewline
Write-Host "Pester discovered $($discovered.TotalCount) tests in $($discovered.Containers.Count) files."

$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestPath
$configuration.Run.Exit = $true
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $OutputPath
$configuration.Output.Verbosity = 'Detailed'
if ($PlainOutput) {
    $configuration.Output.RenderMode = 'Plaintext'
    $PSStyle.OutputRendering = 'PlainText'
}

Invoke-Pester -Configuration $configuration
