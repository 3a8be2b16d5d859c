<#
.SYNOPSIS
    Runs the Pester tests. build.ps1 starts this in a child `pwsh -NoProfile -NonInteractive` so the
    module's assemblies load into a process that ends with the test run.

.DESCRIPTION
    Pester comes from NuGet (the PowerShell Gallery is not reachable), so it is imported by manifest path
    rather than by name. The process exit code is Pester's: 0 when everything passed, otherwise the number
    of failed tests, blocks and containers (Run.Exit).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $OutputPath,
    # Tests read this to know which built module to import.
    [Parameter(Mandatory)] [string] $ModuleManifest,
    # The parent passes this when its own output is redirected (CI logs): our stdout is always a pipe to
    # the parent, so this process cannot tell by itself whether a terminal is at the end.
    [switch] $PlainOutput
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$env:CAPMAP_MODULE_MANIFEST = $ModuleManifest
Import-Module -Name $PesterManifest -Force

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
