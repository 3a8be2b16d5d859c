#Requires -Version 7.4
<#
.SYNOPSIS
    Workload 5 of the benchmarks (docs/benchmarks.md): the same [pscustomobject] records through
    Export-CapnpMessage and Export-Csv, then Import-CapnpMessage and Import-Csv over the same rows.

.DESCRIPTION
    Run in a fresh pwsh by tools/Bench.ps1 (the built module cannot be reloaded in-process). The objects are
    made once and kept in an array; each export is measured as "pipe the array into the exporter" minus "pipe
    the same array into Out-Null" (the cost of producing the pipeline's objects), measured in the same run, so
    the result is the exporter's own cost per object. Runs are interleaved (Out-Null, capnp, csv, Out-Null, ...)
    and the medians are used. Prints one JSON object.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $Schema,
    [Parameter(Mandatory)] [string] $WorkDir,
    [int] $Records = 1000000,
    [int] $Repeats = 2
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModuleManifest
$compiled = Import-CapnpSchema -Path $Schema

$kinds = 'alpha', 'beta', 'gamma', 'delta'
# The rows: every field type of bench.capnp's Record (Data as base64 text, which is what a CSV holds too).
function New-Row([int] $Count) {
    for ($i = 0; $i -lt $Count; $i++) {
        $which = $i % 3
        [pscustomobject]@{
            id        = $i
            timestamp = 1700000000000 + $i * 1000
            count     = ($i * 7919) % 2147483647
            kind      = $kinds[$i % 4]
            value     = $i * 0.25
            name      = "rec-$i"
            payload   = 'AAECAwQFBgc='
            tags      = @("t$($i % 100)")
            none      = if ($which -eq 0) { $true } else { $null }
            code      = if ($which -eq 1) { $i * 31 } else { $null }
            label     = if ($which -eq 2) { "L$($i % 1000)" } else { $null }
        }
    }
}

$capnpFile = Join-Path $WorkDir 'ps-export.bin'
$csvFile = Join-Path $WorkDir 'ps-export.csv'
function Measure-Seconds([scriptblock] $Block) {
    [GC]::Collect()
    $clock = [Diagnostics.Stopwatch]::StartNew()
    & $Block
    $clock.Stop()
    $clock.Elapsed.TotalSeconds
}
function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

$rows = New-Row $Records
$outNull = @(); $capnp = @(); $csv = @(); $importCapnp = @(); $importCsv = @()
for ($r = 0; $r -lt $Repeats; $r++) {
    $outNull += Measure-Seconds { $rows | Out-Null }
    Remove-Item -LiteralPath $capnpFile -ErrorAction Ignore
    $capnp += Measure-Seconds { $rows | Export-CapnpMessage -Path $capnpFile -Schema $compiled -RootType Batch -NoFlush }
    Remove-Item -LiteralPath $csvFile -ErrorAction Ignore
    $csv += Measure-Seconds { $rows | Export-Csv -Path $csvFile }
}
$importedCapnp = 0; $importedCsv = 0
for ($r = 0; $r -lt $Repeats; $r++) {
    $importCapnp += Measure-Seconds { $script:importedCapnp = (Import-CapnpMessage -Path $capnpFile -Schema $compiled -RootType Batch | Measure-Object).Count }
    $importCsv += Measure-Seconds { $script:importedCsv = (Import-Csv -Path $csvFile | Measure-Object).Count }
}
# Spot check: the last record read back.
$last = Import-CapnpMessage -Path $capnpFile -Schema $compiled -RootType Batch -Skip ($Records - 1)
$ok = $importedCapnp -eq $Records -and $importedCsv -eq $Records -and $last.id -eq ($Records - 1) -and $last.name -eq "rec-$($Records - 1)"

$produce = Get-Median $outNull
$capnpCost = [Math]::Max((Get-Median $capnp) - $produce, 1e-9)
$csvCost = [Math]::Max((Get-Median $csv) - $produce, 1e-9)
[ordered]@{
    records                        = $Records
    repeats                        = $Repeats
    produce_s                      = $produce
    export_capnp_s                 = Get-Median $capnp
    export_csv_s                   = Get-Median $csv
    export_capnp_cost_us_per_obj   = $capnpCost / $Records * 1e6
    export_csv_cost_us_per_obj     = $csvCost / $Records * 1e6
    export_vs_exportcsv_cost_ratio = $capnpCost / $csvCost
    import_capnp_s                 = Get-Median $importCapnp
    import_csv_s                   = Get-Median $importCsv
    import_vs_importcsv_speedup    = (Get-Median $importCsv) / (Get-Median $importCapnp)
    capnp_bytes                    = (Get-Item -LiteralPath $capnpFile).Length
    csv_bytes                      = (Get-Item -LiteralPath $csvFile).Length
    verified                       = $ok
    raw                            = [ordered]@{ out_null = $outNull; export_capnp = $capnp; export_csv = $csv; import_capnp = $importCapnp; import_csv = $importCsv }
} | ConvertTo-Json -Compress -Depth 4
Remove-Item -LiteralPath $capnpFile, $csvFile -ErrorAction Ignore
