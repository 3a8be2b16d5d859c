<#
.SYNOPSIS
    CapMap demo. build.ps1 -Task Demo runs this in a child pwsh after building out/CapMap.

.DESCRIPTION
    Placeholder until the mapped builder exists: imports the built module and runs Test-CapMapPlatform
    when the module has it. The body is meant to be replaced by a real end-to-end demo.
#>
[CmdletBinding()]
param(
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../out/CapMap/CapMap.psd1')
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Test-Path -LiteralPath $ModuleManifest)) {
    throw "The module is not built: '$ModuleManifest' does not exist. Run ./build.ps1 -Task Build first."
}

$module = Import-Module -Name (Resolve-Path -LiteralPath $ModuleManifest).ProviderPath -PassThru -Force
Write-Host "Imported CapMap $($module.Version) from $($module.ModuleBase)"

$commands = @(Get-Command -Module $module.Name)
if ($commands.Count -gt 0) {
    Write-Host "Commands available: $(($commands.Name | Sort-Object) -join ', ')"
}
else {
    Write-Host 'Commands available: none yet.'
}

if (Get-Command -Name Test-CapMapPlatform -Module $module.Name -ErrorAction SilentlyContinue) {
    Test-CapMapPlatform | Format-List | Out-Host
}
else {
    Write-Host 'CapMap demo: Test-CapMapPlatform is not implemented yet, so there is nothing more to show.'
    Write-Host 'The module itself imports and loads; the real demo arrives with the mapped builder.'
}
