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
    per record. Before the measured repeats, every measured command runs once on a small slice (20,000 rows, 2,000
    files) into its own files, so JIT compilation and tiering do not land in the first repeat; those runs are not
    counted.

    Floors, report only, in the same repeats: PowerShell's own share of the work, which no exporter or importer of
    the same objects can avoid. The binding floor pipes the rows into Export-CapnpMessage -WhatIf (each object
    bound, ProcessRecord returns at once); the bulk export binds the whole array by name (-InputObject), so no
    per-object pipeline binding; the import floor counts the existing rows with the consumer the imports use
    (Measure-Object); the script floor evaluates every FileInfo's own script properties, which Export-Csv and
    the inferred export both must. The imports run again "touched" (one property of every record read by the
    consumer), in the first -TouchedRepeats rounds only. Prints one JSON object.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $Schema,
    [Parameter(Mandatory)] [string] $WorkDir,
    [int] $Records = 1000000,
    [int] $FileRecords = 100000,
    [int] $Repeats = 2,
    # Rounds that also run the touched imports (report only; at 1,000,000 rows Import-Csv's alone takes over 3 minutes).
    [int] $TouchedRepeats = 1
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
# The record's own script properties (FileInfo: Mode, BaseName, VersionInfo, ...): both exporters evaluate each one.
$scriptNames = @($files[0].PSObject.Properties | Where-Object MemberType -eq 'ScriptProperty' | ForEach-Object Name)

# The measured commands. Each round runs every command once on the objects and into the files of $Set, so the
# warm-up (a small slice, its own files) and the measured repeats run the same code. Times go to $Times (a list per
# name: the raw arrays of the JSON), counts of the imports to $script:counts.
$script:counts = @{}
function Add-Time($Times, [string] $Name, $Value) {
    if (-not $Times.Contains($Name)) { $Times[$Name] = [Collections.Generic.List[object]]::new() }
    $Times[$Name].Add($Value)
    # Each measured step, as it ends, for watching a long run: Get-Content -Wait <WorkDir>/ps-bench-steps.log
    Add-Content -LiteralPath (Join-Path $WorkDir 'ps-bench-steps.log') -Value ("{0:o} {1} {2}" -f [DateTime]::UtcNow, $Name, $Value)
}
function Invoke-ExportRound($Set, $Times) {
    $rows = $Set.Rows; $files = $Set.Files
    Add-Time $Times out_null (Measure-Seconds { $rows | Out-Null })
    Remove-Item -LiteralPath $Set.Capnp -ErrorAction Ignore
    Add-Time $Times export_capnp (Measure-Seconds { $rows | Export-CapnpMessage -Path $Set.Capnp -Schema $compiled -RootType Batch -NoFlush })
    Add-Time $Times export_alloc $script:allocated
    Remove-Item -LiteralPath $Set.Csv -ErrorAction Ignore
    Add-Time $Times export_csv (Measure-Seconds { $rows | Export-Csv -Path $Set.Csv })
    # Floors: PowerShell binding each piped object to the cmdlet, whose ProcessRecord returns at once (-WhatIf);
    # the same records bound by name as one list (no per-object pipeline binding).
    Add-Time $Times export_binding_floor (Measure-Seconds { $rows | Export-CapnpMessage -Path $Set.WhatIf -Schema $compiled -RootType Batch -WhatIf })
    Remove-Item -LiteralPath $Set.Bulk -ErrorAction Ignore
    Add-Time $Times export_bulk (Measure-Seconds { Export-CapnpMessage -InputObject $rows -Path $Set.Bulk -Schema $compiled -RootType Batch -NoFlush })

    Add-Time $Times files_out_null (Measure-Seconds { $files | Out-Null })
    Remove-Item -LiteralPath $Set.FileCapnp -ErrorAction Ignore
    Add-Time $Times files_export_capnp (Measure-Seconds { $files | Export-CapnpMessage -Path $Set.FileCapnp -NoFlush -WarningAction SilentlyContinue })
    Remove-Item -LiteralPath $Set.FileCsv -ErrorAction Ignore
    Add-Time $Times files_export_csv (Measure-Seconds { $files | Export-Csv -Path $Set.FileCsv })
    # Floor: every FileInfo's own script properties evaluated once, which no exporter of the same data can skip.
    Add-Time $Times files_script_floor (Measure-Seconds { $names = $scriptNames; foreach ($f in $files) { foreach ($n in $names) { $null = $f.$n } } })
}
function Invoke-ImportRound($Set, $Times, [bool] $Touched) {
    $rows = $Set.Rows
    Add-Time $Times import_capnp (Measure-Seconds { $script:counts.capnp = (Import-CapnpMessage -Path $Set.Capnp -Schema $compiled -RootType Batch | Measure-Object).Count })
    Add-Time $Times import_alloc $script:allocated
    Add-Time $Times import_csv (Measure-Seconds { $script:counts.csv = (Import-Csv -Path $Set.Csv | Measure-Object).Count })
    Add-Time $Times files_import_capnp (Measure-Seconds { $script:counts.files = (Import-CapnpMessage -Path $Set.FileCapnp | Measure-Object).Count })
    Add-Time $Times files_import_csv (Measure-Seconds { $script:counts.filesCsv = (Import-Csv -Path $Set.FileCsv | Measure-Object).Count })
    # Floor: existing objects through the same consumer the imports use.
    Add-Time $Times import_floor (Measure-Seconds { $script:counts.floor = ($rows | Measure-Object).Count })
    # The imports again, with one property of every record read by the consumer.
    if (-not $Touched) { return }
    Add-Time $Times import_capnp_touched (Measure-Seconds { $script:counts.capnpTouched = (Import-CapnpMessage -Path $Set.Capnp -Schema $compiled -RootType Batch | ForEach-Object -MemberName id | Measure-Object).Count })
    Add-Time $Times import_csv_touched (Measure-Seconds { $script:counts.csvTouched = (Import-Csv -Path $Set.Csv | ForEach-Object -MemberName id | Measure-Object).Count })
    Add-Time $Times files_import_capnp_touched (Measure-Seconds { $script:counts.filesTouched = (Import-CapnpMessage -Path $Set.FileCapnp | ForEach-Object -MemberName Length | Measure-Object).Count })
    Add-Time $Times files_import_csv_touched (Measure-Seconds { $script:counts.filesCsvTouched = (Import-Csv -Path $Set.FileCsv | ForEach-Object -MemberName Length | Measure-Object).Count })
}
function New-Set([object[]] $Rows, [object[]] $Files, [string] $Prefix) {
    @{
        Rows = $Rows; Files = $Files
        Capnp = Join-Path $WorkDir "$Prefix-export.bin"; Csv = Join-Path $WorkDir "$Prefix-export.csv"
        WhatIf = Join-Path $WorkDir "$Prefix-whatif.bin"; Bulk = Join-Path $WorkDir "$Prefix-export-bulk.bin"
        FileCapnp = Join-Path $WorkDir "$Prefix-files.bin"; FileCsv = Join-Path $WorkDir "$Prefix-files.csv"
    }
}

# Warm-up: every measured command once on a small slice, into its own files (then removed), so that JIT
# compilation and tiering do not land in the first measured repeat. Its times are discarded.
$warm = New-Set @($rows)[0..([Math]::Min(20000, @($rows).Count) - 1)] $files[0..([Math]::Min(2000, $files.Count) - 1)] 'ps-warmup'
$warmTimes = [ordered]@{}
Invoke-ExportRound $warm $warmTimes
Invoke-ImportRound $warm $warmTimes $true
Remove-Item -LiteralPath $warm.Capnp, $warm.Csv, $warm.Bulk, $warm.FileCapnp, $warm.FileCsv -ErrorAction Ignore

$set = New-Set $rows $files 'ps'
$set.Capnp = $capnpFile; $set.Csv = $csvFile; $set.FileCapnp = $fileCapnp; $set.FileCsv = $fileCsv
$times = [ordered]@{}
for ($r = 0; $r -lt $Repeats; $r++) { Invoke-ExportRound $set $times }
for ($r = 0; $r -lt $Repeats; $r++) { Invoke-ImportRound $set $times ($r -lt [Math]::Max(1, $TouchedRepeats)) }
$outNull = $times.out_null; $capnp = $times.export_capnp; $csv = $times.export_csv
$importCapnp = $times.import_capnp; $importCsv = $times.import_csv
$filesOutNull = $times.files_out_null; $filesCapnp = $times.files_export_capnp; $filesCsv = $times.files_export_csv
$filesImportCapnp = $times.files_import_capnp; $filesImportCsv = $times.files_import_csv
$exportAlloc = $times.export_alloc; $importAlloc = $times.import_alloc
$c = $script:counts
# Spot checks: the last record of (a), a file of (b) with its length and path; the bulk export holds the same
# message as the piped one (same length); every import, touched or not, counted every record.
$last = Import-CapnpMessage -Path $capnpFile -Schema $compiled -RootType Batch -Skip ($Records - 1)
$lastFile = Import-CapnpMessage -Path $fileCapnp -Skip ($files.Count - 1)
$ok = $c.capnp -eq $Records -and $c.csv -eq $Records -and $last.id -eq ($Records - 1) -and $last.name -eq "rec-$($Records - 1)" -and
    $c.files -eq $files.Count -and $c.filesCsv -eq $files.Count -and $lastFile.FullName -eq $files[-1].FullName -and $lastFile.Length -eq $files[-1].Length -and
    $c.floor -eq $Records -and $c.capnpTouched -eq $Records -and $c.csvTouched -eq $Records -and
    $c.filesTouched -eq $files.Count -and $c.filesCsvTouched -eq $files.Count -and
    (Get-Item -LiteralPath $set.Bulk).Length -eq (Get-Item -LiteralPath $capnpFile).Length -and -not (Test-Path -LiteralPath $set.WhatIf)

function Get-CostRatio([double[]] $Capnp, [double[]] $Csv, [double[]] $Produce) {
    $p = Get-Median $Produce
    [Math]::Max((Get-Median $Capnp) - $p, 1e-9) / [Math]::Max((Get-Median $Csv) - $p, 1e-9)
}
$produce = Get-Median $outNull
$capnpCost = [Math]::Max((Get-Median $capnp) - $produce, 1e-9)
$csvCost = [Math]::Max((Get-Median $csv) - $produce, 1e-9)
$filesProduce = Get-Median $filesOutNull
$filesCsvCost = [Math]::Max((Get-Median $filesCsv) - $filesProduce, 1e-9)
# The floors (report only): PowerShell's own share of the work, which no exporter or importer can avoid.
$bindingFloorCost = [Math]::Max((Get-Median $times.export_binding_floor) - $produce, 1e-9)
$bulk = Get-Median $times.export_bulk
$importFloor = Get-Median $times.import_floor
$scriptFloor = Get-Median $times.files_script_floor
[ordered]@{
    records                                 = $Records
    file_records                            = $files.Count
    repeats                                 = $Repeats
    touched_repeats                         = [Math]::Min($Repeats, [Math]::Max(1, $TouchedRepeats))
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
    export_binding_floor_s                  = Get-Median $times.export_binding_floor
    export_binding_floor_us_per_obj         = $bindingFloorCost / $Records * 1e6
    export_binding_floor_vs_exportcsv_cost_ratio = $bindingFloorCost / $csvCost
    export_bulk_s                           = $bulk
    export_bulk_us_per_obj                  = $bulk / $Records * 1e6
    export_bulk_vs_exportcsv_cost_ratio     = $bulk / $csvCost
    import_floor_s                          = $importFloor
    import_floor_us_per_obj                 = $importFloor / $Records * 1e6
    import_floor_vs_importcsv_speedup       = (Get-Median $importCsv) / [Math]::Max($importFloor, 1e-9)
    import_capnp_touched_s                  = Get-Median $times.import_capnp_touched
    import_csv_touched_s                    = Get-Median $times.import_csv_touched
    import_touched_vs_importcsv_speedup     = (Get-Median $times.import_csv_touched) / (Get-Median $times.import_capnp_touched)
    fileinfo_script_properties              = $scriptNames
    fileinfo_script_floor_s                 = $scriptFloor
    fileinfo_script_floor_us_per_obj        = $scriptFloor / $files.Count * 1e6
    export_fileinfo_script_floor_vs_exportcsv_cost_ratio = $scriptFloor / $filesCsvCost
    import_fileinfo_capnp_touched_s         = Get-Median $times.files_import_capnp_touched
    import_fileinfo_csv_touched_s           = Get-Median $times.files_import_csv_touched
    import_fileinfo_touched_vs_importcsv_speedup = (Get-Median $times.files_import_csv_touched) / (Get-Median $times.files_import_capnp_touched)
    verified                                = $ok
    raw                                     = [ordered]@{
        out_null = $outNull; export_capnp = $capnp; export_csv = $csv; import_capnp = $importCapnp; import_csv = $importCsv
        export_alloc = $exportAlloc; import_alloc = $importAlloc
        files_out_null = $filesOutNull; files_export_capnp = $filesCapnp; files_export_csv = $filesCsv
        files_import_capnp = $filesImportCapnp; files_import_csv = $filesImportCsv
        export_binding_floor = $times.export_binding_floor; export_bulk = $times.export_bulk; import_floor = $times.import_floor
        import_capnp_touched = $times.import_capnp_touched; import_csv_touched = $times.import_csv_touched
        files_script_floor = $times.files_script_floor
        files_import_capnp_touched = $times.files_import_capnp_touched; files_import_csv_touched = $times.files_import_csv_touched
    }
} | ConvertTo-Json -Compress -Depth 4
Remove-Item -LiteralPath $capnpFile, $csvFile, $fileCapnp, $fileCsv, $set.Bulk -ErrorAction Ignore
