#Requires -Version 7.4
<#
.SYNOPSIS
    Workload 5 of the benchmarks (docs/benchmarks.md): (a) the same [pscustomobject] records through
    Export-CapnpMessage (bench.capnp's schema) and Export-Csv; (b) real FileInfo objects from
    Get-ChildItem -Recurse -File over a tree the bench builds under -WorkDir, through the inferred schema (no
    -Schema) and Export-Csv; (c) Import-CapnpMessage of both files against Import-Csv of the CSVs.

.DESCRIPTION
    Run in a fresh pwsh by tools/Bench.ps1 (the built module cannot be reloaded in-process). The objects are
    made once and kept in an array; each export is measured as "pipe the array into the exporter" minus "pipe
    the same array into Out-Null" (the cost of producing the pipeline's objects), measured in the same run, so
    the result is the exporter's own cost per object. Runs are interleaved (Out-Null, capnp, csv, Out-Null, ...)
    and the medians are used. [GC]::GetTotalAllocatedBytes($true) around each run of (a) gives the bytes allocated
    per record. Prints one JSON object.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $Schema,
    [Parameter(Mandatory)] [string] $WorkDir,
    [int] $Records = 1000000,
    [int] $FileRecords = 100000,
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
$fileCapnp = Join-Path $WorkDir 'ps-files.bin'
$fileCsv = Join-Path $WorkDir 'ps-files.csv'
$script:allocated = 0L
# Seconds of one run; its allocated bytes (all threads) are left in $script:allocated.
function Measure-Seconds([scriptblock] $Block) {
    [GC]::Collect()
    $before = [GC]::GetTotalAllocatedBytes($true)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    & $Block
    $clock.Stop()
    $script:allocated = [GC]::GetTotalAllocatedBytes($true) - $before
    $clock.Elapsed.TotalSeconds
}
function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

# The tree for (b): 100 files per directory, directories two levels deep; made once per work dir and size.
function New-FileTree([int] $Count) {
    $tree = Join-Path $WorkDir "ps-tree-$Count"
    $done = Join-Path $tree '.complete'
    if (-not (Test-Path -LiteralPath $done)) {
        Remove-Item -LiteralPath $tree -Recurse -Force -ErrorAction Ignore
        $bytes = [byte[]]::new(16)
        for ($d = 0; $d * 100 -lt $Count; $d++) {
            $dir = [IO.Directory]::CreateDirectory((Join-Path $tree "g$($d % 10)/d$d")).FullName
            for ($f = 0; $f -lt 100 -and $d * 100 + $f -lt $Count; $f++) { [IO.File]::WriteAllBytes((Join-Path $dir "f$f.txt"), $bytes) }
        }
        [IO.File]::WriteAllText($done, '')
    }
    $tree
}

$rows = New-Row $Records
$tree = New-FileTree $FileRecords
$files = @(Get-ChildItem -LiteralPath $tree -Recurse -File | Where-Object Name -ne '.complete')
$outNull = @(); $capnp = @(); $csv = @(); $importCapnp = @(); $importCsv = @()
$filesOutNull = @(); $filesCapnp = @(); $filesCsv = @(); $filesImportCapnp = @(); $filesImportCsv = @()
$exportAlloc = @(); $importAlloc = @()
for ($r = 0; $r -lt $Repeats; $r++) {
    $outNull += Measure-Seconds { $rows | Out-Null }
    Remove-Item -LiteralPath $capnpFile -ErrorAction Ignore
    $capnp += Measure-Seconds { $rows | Export-CapnpMessage -Path $capnpFile -Schema $compiled -RootType Batch -NoFlush }
    $exportAlloc += $script:allocated
    Remove-Item -LiteralPath $csvFile -ErrorAction Ignore
    $csv += Measure-Seconds { $rows | Export-Csv -Path $csvFile }

    $filesOutNull += Measure-Seconds { $files | Out-Null }
    Remove-Item -LiteralPath $fileCapnp -ErrorAction Ignore
    $filesCapnp += Measure-Seconds { $files | Export-CapnpMessage -Path $fileCapnp -NoFlush -WarningAction SilentlyContinue }
    Remove-Item -LiteralPath $fileCsv -ErrorAction Ignore
    $filesCsv += Measure-Seconds { $files | Export-Csv -Path $fileCsv }
}
$importedCapnp = 0; $importedCsv = 0; $importedFiles = 0; $importedFilesCsv = 0
for ($r = 0; $r -lt $Repeats; $r++) {
    $importCapnp += Measure-Seconds { $script:importedCapnp = (Import-CapnpMessage -Path $capnpFile -Schema $compiled -RootType Batch | Measure-Object).Count }
    $importAlloc += $script:allocated
    $importCsv += Measure-Seconds { $script:importedCsv = (Import-Csv -Path $csvFile | Measure-Object).Count }
    $filesImportCapnp += Measure-Seconds { $script:importedFiles = (Import-CapnpMessage -Path $fileCapnp | Measure-Object).Count }
    $filesImportCsv += Measure-Seconds { $script:importedFilesCsv = (Import-Csv -Path $fileCsv | Measure-Object).Count }
}
# Spot checks: the last record of (a), a file of (b) with its length and path.
$last = Import-CapnpMessage -Path $capnpFile -Schema $compiled -RootType Batch -Skip ($Records - 1)
$lastFile = Import-CapnpMessage -Path $fileCapnp -Skip ($files.Count - 1)
$ok = $importedCapnp -eq $Records -and $importedCsv -eq $Records -and $last.id -eq ($Records - 1) -and $last.name -eq "rec-$($Records - 1)" -and
    $importedFiles -eq $files.Count -and $importedFilesCsv -eq $files.Count -and $lastFile.FullName -eq $files[-1].FullName -and $lastFile.Length -eq $files[-1].Length

function Get-CostRatio([double[]] $Capnp, [double[]] $Csv, [double[]] $Produce) {
    $p = Get-Median $Produce
    [Math]::Max((Get-Median $Capnp) - $p, 1e-9) / [Math]::Max((Get-Median $Csv) - $p, 1e-9)
}
$produce = Get-Median $outNull
$capnpCost = [Math]::Max((Get-Median $capnp) - $produce, 1e-9)
$csvCost = [Math]::Max((Get-Median $csv) - $produce, 1e-9)
$filesProduce = Get-Median $filesOutNull
[ordered]@{
    records                                 = $Records
    file_records                            = $files.Count
    repeats                                 = $Repeats
    produce_s                               = $produce
    export_capnp_s                          = Get-Median $capnp
    export_csv_s                            = Get-Median $csv
    export_capnp_cost_us_per_obj            = $capnpCost / $Records * 1e6
    export_csv_cost_us_per_obj              = $csvCost / $Records * 1e6
    export_vs_exportcsv_cost_ratio          = $capnpCost / $csvCost
    import_capnp_s                          = Get-Median $importCapnp
    import_csv_s                            = Get-Median $importCsv
    import_vs_importcsv_speedup             = (Get-Median $importCsv) / (Get-Median $importCapnp)
    export_alloc_bytes_per_record           = (Get-Median $exportAlloc) / $Records
    import_alloc_bytes_per_record           = (Get-Median $importAlloc) / $Records
    files_produce_s                         = $filesProduce
    export_fileinfo_capnp_s                 = Get-Median $filesCapnp
    export_fileinfo_csv_s                   = Get-Median $filesCsv
    export_fileinfo_capnp_cost_us_per_obj   = [Math]::Max((Get-Median $filesCapnp) - $filesProduce, 1e-9) / $files.Count * 1e6
    export_fileinfo_csv_cost_us_per_obj     = [Math]::Max((Get-Median $filesCsv) - $filesProduce, 1e-9) / $files.Count * 1e6
    export_fileinfo_vs_exportcsv_cost_ratio = Get-CostRatio $filesCapnp $filesCsv $filesOutNull
    import_fileinfo_capnp_s                 = Get-Median $filesImportCapnp
    import_fileinfo_csv_s                   = Get-Median $filesImportCsv
    import_fileinfo_vs_importcsv_speedup    = (Get-Median $filesImportCsv) / (Get-Median $filesImportCapnp)
    capnp_bytes                             = (Get-Item -LiteralPath $capnpFile).Length
    csv_bytes                               = (Get-Item -LiteralPath $csvFile).Length
    fileinfo_capnp_bytes                    = (Get-Item -LiteralPath $fileCapnp).Length
    fileinfo_csv_bytes                      = (Get-Item -LiteralPath $fileCsv).Length
    verified                                = $ok
    raw                                     = [ordered]@{
        out_null = $outNull; export_capnp = $capnp; export_csv = $csv; import_capnp = $importCapnp; import_csv = $importCsv
        export_alloc = $exportAlloc; import_alloc = $importAlloc
        files_out_null = $filesOutNull; files_export_capnp = $filesCapnp; files_export_csv = $filesCsv
        files_import_capnp = $filesImportCapnp; files_import_csv = $filesImportCsv
    }
} | ConvertTo-Json -Compress -Depth 4
Remove-Item -LiteralPath $capnpFile, $csvFile, $fileCapnp, $fileCsv -ErrorAction Ignore
