#Requires -Version 7.4
<#
.SYNOPSIS
    What `Where-Object <property> -eq <value>` itself costs per object in a fresh pwsh, for the three kinds of object
    an import can hand it: PSCustomObjects (Import-Csv), CapMap's rows (Import-CapnpMessage) and plain .NET objects.

.DESCRIPTION
    everyday_import_10k_speedup (workload 6, docs/benchmarks.md) divides the own CPU of
    `Import-Csv f.csv | Where-Object kind -eq 'beta' | Measure-Object` by the same pipeline with
    Import-CapnpMessage. Both pay Where-Object once per row, so the key can only be as large as
    (Import-Csv + Where-Object) / (Import-CapnpMessage + Where-Object) allows. This script measures the terms apart,
    each kind in its own fresh process (rounds interleaved, medians reported), with the CPU of the process itself
    (user + system, from /proc through Process.TotalProcessorTime) read around each stage:
      setup   what the kind needs first (Import-Module CapMap for CapMap's rows; nothing for the others)
      read    making the N objects into a variable (Import-Csv / Import-CapnpMessage / N constructor calls)
      first   the first `$objects | Where-Object ... | Measure-Object` over them (JIT of the filter's path included;
              CapMap's rows also decode here, at their first property read)
      second  the same filter again, over the same objects
    Before the stages, one Where-Object over one unrelated object (a FileInfo) has run, so the filter's command
    lookup and the first compile of the cmdlet are not charged to any kind.
    The plain .NET objects are System.Net.Cookie instances whose Value is the kind: a class of the framework with
    ordinary CLR properties, which PowerShell reads through its cached .NET adapter.
    Prints one JSON object: per kind, the median CPU ms of each stage and µs per object of each filter pass.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $WorkDir,
    [int] $Rows = 10000,
    [int] $Repeats = 5
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $false
$ModuleManifest = (Resolve-Path -LiteralPath $ModuleManifest).Path
$WorkDir = (New-Item -ItemType Directory -Force -Path $WorkDir).FullName
$Invariant = [Globalization.CultureInfo]::InvariantCulture

. (Join-Path $PSScriptRoot 'EverydayInputs.ps1')
[string[]] $pwsh = Get-ThisPwsh

# The same rows as EverydayBench.ps1's filter pipeline.
$csv = Join-Path $WorkDir "floor-rows-$Rows.csv"
$capnp = Join-Path $WorkDir "floor-rows-$Rows.bin"
Write-EverydayRowsCsv -Path $csv -Count $Rows
Remove-Item -LiteralPath $capnp -ErrorAction Ignore
& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "Import-Module '$ModuleManifest'; Import-Csv '$csv' | Export-CapnpMessage '$capnp'"
if ($LASTEXITCODE -ne 0) { throw "Could not make $capnp (exit code $LASTEXITCODE)." }
$expected = [Math]::Ceiling(($Rows - 1) / 4)

# Each kind: how its objects are made, and the filter (the property that holds the kind).
$makers = [ordered]@{
    pscustomobject = @{ Setup = ''; Read = "Import-Csv '$csv'"; Property = 'kind' }
    capmap         = @{ Setup = "Import-Module '$ModuleManifest'"; Read = "Import-CapnpMessage '$capnp'"; Property = 'kind' }
    clr            = @{ Setup = ''; Read = "`$k = 'alpha', 'beta', 'gamma', 'delta'; foreach (`$i in 0..$($Rows - 1)) { [Net.Cookie]::new('kind', `$k[`$i % 4]) }"; Property = 'Value' }
}
$probe = @'
$p = [Diagnostics.Process]::GetCurrentProcess()
function Cpu { $p.Refresh(); $p.TotalProcessorTime.TotalMilliseconds }
$null = Get-Item -LiteralPath $PSHOME | Where-Object Name -eq 'none'
$s0 = Cpu; SETUP
$t0 = Cpu; $objects = @(READ); $t1 = Cpu
$n1 = ($objects | Where-Object PROPERTY -eq 'beta' | Measure-Object).Count; $t2 = Cpu
$n2 = ($objects | Where-Object PROPERTY -eq 'beta' | Measure-Object).Count; $t3 = Cpu
if ($n1 -ne EXPECTED -or $n2 -ne EXPECTED) { throw "matched $n1 and $n2, not EXPECTED" }
"$($t1 - $t0) $($t2 - $t1) $($t3 - $t2) $($t0 - $s0)"
'@

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count % 2) { return $sorted[($sorted.Count - 1) / 2] }
    return ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2
}

$samples = @{}
foreach ($kind in $makers.Keys) { $samples[$kind] = [Collections.Generic.List[double[]]]::new() }
for ($r = 1; $r -le $Repeats; $r++) {
    Write-Host "where-object floor: round $r/$Repeats"
    foreach ($kind in $makers.Keys) {
        $command = $probe.Replace('SETUP', $makers[$kind].Setup).Replace('READ', $makers[$kind].Read).Replace('PROPERTY', $makers[$kind].Property).Replace('EXPECTED', "$expected")
        $line = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $command
        if ($LASTEXITCODE -ne 0) { throw "$kind failed ($LASTEXITCODE): $line" }
        $samples[$kind].Add([double[]](($line | Select-Object -Last 1) -split ' ' | ForEach-Object { [double]::Parse($_, $Invariant) }))
    }
}

$result = [ordered]@{ rows = $Rows; runs = $Repeats }
foreach ($kind in $makers.Keys) {
    $read = Get-Median ($samples[$kind] | ForEach-Object { $_[0] })
    $first = Get-Median ($samples[$kind] | ForEach-Object { $_[1] })
    $second = Get-Median ($samples[$kind] | ForEach-Object { $_[2] })
    $setup = Get-Median ($samples[$kind] | ForEach-Object { $_[3] })
    $result[$kind] = [ordered]@{
        setup_ms = [Math]::Round($setup)
        read_ms = [Math]::Round($read); first_where_ms = [Math]::Round($first); second_where_ms = [Math]::Round($second)
        first_us_per_object = [Math]::Round($first * 1000 / $Rows, 1); second_us_per_object = [Math]::Round($second * 1000 / $Rows, 1)
        spread_first_where_ms = '{0:N0}–{1:N0}' -f ($samples[$kind] | ForEach-Object { $_[1] } | Measure-Object -Minimum -Maximum | ForEach-Object { $_.Minimum, $_.Maximum })
    }
}
$result | ConvertTo-Json -Depth 4
