#Requires -Version 7.4
<#
.SYNOPSIS
    Workload 6 of the benchmarks (docs/benchmarks.md), "everyday": whole pipelines as a script runs them, each in a
    fresh pwsh that starts, pipes 1 to 100,000 objects and ends, CapMap against the CSV cmdlets.

.DESCRIPTION
    Workload 5 measures a million rows in one warm process; a cron job, a CI step or a person at a prompt instead
    pays for starting pwsh, loading the module and compiling the code every time. So here every measurement is one
    process, run under GNU time (/usr/bin/time), and its cost is the whole process's CPU (user + system), minus the
    median of an empty pwsh measured in the same rounds: the pipeline's own CPU. Peak RSS is the process's maxrss.

    Pipelines (each with Export-Csv / Import-Csv as the yardstick):
      rows-N      Import-Csv of N rows (1, 100, 10,000, 100,000) piped to Export-CapnpMessage or Export-Csv
      one-record  one [pscustomobject] of two fields, exported
      process     Get-Process, exported
      fileinfo    Get-ChildItem -Recurse -File over a tree of -FileCount files (made once under -WorkDir), exported
      filter      the 10,000 rows read back through Where-Object on one property (Import-CapnpMessage / Import-Csv)
    Rounds are interleaved (every pipeline once per round, the empty pwsh first), and medians of -Repeats rounds are
    reported; on a shared machine single runs swing by tens of percent, medians of interleaved runs much less. The
    pipelines no summary key reads (1, 100 and 100,000 rows, Get-Process, one record through Export-Csv) run in the
    first -ExtraRepeats rounds only, which keeps the workload to a few minutes; each pipeline's result and each key
    say how many runs their medians are of.

    Bytes: each export's file size; for the 10,000 rows and the FileInfo export also the canonical encoding of the
    same message (capnp convert binary:canonical, by the schema text the file carries) and the embedded schema's
    size, for everyday_bytes_vs_canonical_ratio. Prints one JSON object (the summary keys and every pipeline's medians).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $WorkDir,
    [int] $Repeats = 5,
    [int[]] $RowCounts = @(1, 100, 10000, 100000),
    [int] $FileCount = 5000,
    # Rounds of the pipelines that feed no summary key (at most -Repeats).
    [int] $ExtraRepeats = 2,
    # Another build of the module (e.g. main's) to run every CapMap pipeline with as well, in the same rounds, as the
    # tool 'baseline': a before/after comparison under the same load.
    [string] $BaselineManifest
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $false
$ProgressPreference = 'SilentlyContinue'

$time = '/usr/bin/time'
if (-not (Test-Path -LiteralPath $time)) { throw "GNU time is missing ($time): apt-get install time" }
if (-not (Get-Command capnp -ErrorAction Ignore)) { throw "'capnp' is missing: apt-get install capnproto" }
$ModuleManifest = (Resolve-Path -LiteralPath $ModuleManifest).Path
$WorkDir = (New-Item -ItemType Directory -Force -Path $WorkDir).FullName
$Invariant = [Globalization.CultureInfo]::InvariantCulture

. (Join-Path $PSScriptRoot 'EverydayInputs.ps1')
[string[]] $pwsh = Get-ThisPwsh

# ---- inputs, made once per work dir ----------------------------------------------------------------------------
function Get-RowsCsv([int] $Count) {
    $path = Join-Path $WorkDir "everyday-rows-$Count.csv"
    if (-not (Test-Path -LiteralPath $path)) { Write-EverydayRowsCsv -Path $path -Count $Count }
    $path
}

function Get-FileTree([int] $Count) {
    $tree = Join-Path $WorkDir "everyday-tree-$Count"
    $done = Join-Path $WorkDir "everyday-tree-$Count.complete" # outside the tree, so it is not one of the files
    if (-not (Test-Path -LiteralPath $done)) {
        Remove-Item -LiteralPath $tree -Recurse -Force -ErrorAction Ignore
        for ($i = 0; $i -lt $Count; $i++) {
            $dir = [IO.Directory]::CreateDirectory((Join-Path $tree "g$($i % 10)/d$([Math]::Floor($i / 100))")).FullName
            [IO.File]::WriteAllText((Join-Path $dir "file-$i.txt"), "content $i")
        }
        Set-Content -LiteralPath $done -Value $Count
    }
    $tree
}

# ---- the pipelines ------------------------------------------------------------------------------------------------
$import = "Import-Module '$ModuleManifest'; "
if ($BaselineManifest) { $BaselineManifest = (Resolve-Path -LiteralPath $BaselineManifest).Path }
$pipelines = [Collections.Generic.List[object]]::new()
function Add-Pipeline([string] $Name, [string] $Tool, [string] $Command, [string] $Output, [switch] $Key) {
    $rounds = if ($Key) { $Repeats } else { [Math]::Max(1, [Math]::Min($Repeats, $ExtraRepeats)) }
    # The baseline runs first, so the file the bytes are read from (the last run's) is this build's.
    if ($Tool -eq 'capmap' -and $BaselineManifest) {
        $baseline = $Command.Replace($import, "Import-Module '$BaselineManifest'; ")
        $pipelines.Add([pscustomobject]@{ Name = $Name; Tool = 'baseline'; Command = $baseline; Output = $Output; Rounds = $rounds })
    }
    $pipelines.Add([pscustomobject]@{ Name = $Name; Tool = $Tool; Command = $Command; Output = $Output; Rounds = $rounds })
}
Add-Pipeline 'empty' 'pwsh' '$null' $null -Key
foreach ($n in $RowCounts) {
    $csv = Get-RowsCsv $n
    Add-Pipeline "rows-$n" 'capmap' "${import}Import-Csv '$csv' | Export-CapnpMessage '$WorkDir/out-rows-$n.bin'" "$WorkDir/out-rows-$n.bin" -Key:($n -eq 10000)
    Add-Pipeline "rows-$n" 'csv' "Import-Csv '$csv' | Export-Csv '$WorkDir/out-rows-$n.csv'" "$WorkDir/out-rows-$n.csv" -Key:($n -eq 10000)
}
# The input alone, discarded: what both exporters pay before they see an object, so the lowest cost ratio any
# exporter fed by it can reach.
Add-Pipeline 'rows-10000' 'input' "Import-Csv '$(Get-RowsCsv 10000)' | Out-Null" $null -Key
$oneRecord = "[pscustomobject]@{ host = 'web-1'; bytes = 1234 }"
Add-Pipeline 'one-record' 'capmap' "${import}$oneRecord | Export-CapnpMessage '$WorkDir/out-one.bin'" "$WorkDir/out-one.bin" -Key
Add-Pipeline 'one-record' 'csv' "$oneRecord | Export-Csv '$WorkDir/out-one.csv'" "$WorkDir/out-one.csv"
Add-Pipeline 'process' 'capmap' "${import}Get-Process | Export-CapnpMessage '$WorkDir/out-process.bin' -WarningAction SilentlyContinue" "$WorkDir/out-process.bin"
Add-Pipeline 'process' 'csv' "Get-Process | Export-Csv '$WorkDir/out-process.csv'" "$WorkDir/out-process.csv"
$tree = Get-FileTree $FileCount
Add-Pipeline 'fileinfo' 'capmap' "${import}Get-ChildItem -LiteralPath '$tree' -Recurse -File | Export-CapnpMessage '$WorkDir/out-fileinfo.bin' -WarningAction SilentlyContinue" "$WorkDir/out-fileinfo.bin" -Key
Add-Pipeline 'fileinfo' 'csv' "Get-ChildItem -LiteralPath '$tree' -Recurse -File | Export-Csv '$WorkDir/out-fileinfo.csv'" "$WorkDir/out-fileinfo.csv" -Key
Add-Pipeline 'fileinfo' 'input' "Get-ChildItem -LiteralPath '$tree' -Recurse -File | Out-Null" $null -Key

# The filter reads files that the exports above make; they are made here once, before the rounds.
$filterRows = 10000
$filterCapnp = Join-Path $WorkDir "filter-rows-$filterRows.bin"
$filterCsv = Get-RowsCsv $filterRows
Remove-Item -LiteralPath $filterCapnp -ErrorAction Ignore
& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "${import}Import-Csv '$filterCsv' | Export-CapnpMessage '$filterCapnp'"
if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $filterCapnp)) { throw "Could not make $filterCapnp (exit code $LASTEXITCODE)." }
# Both consumers count the matches, so a filter that matched nothing would show as a wrong count, not a fast run.
$expectedMatches = [Math]::Ceiling(($filterRows - 1) / 4)
$filter = "Where-Object kind -eq 'beta' | Measure-Object | ForEach-Object { if (`$_.Count -ne $expectedMatches) { throw ""matched `$(`$_.Count)"" } }"
Add-Pipeline 'filter' 'capmap' "${import}Import-CapnpMessage '$filterCapnp' | $filter" $null -Key
Add-Pipeline 'filter' 'csv' "Import-Csv '$filterCsv' | $filter" $null -Key

# ---- measuring -------------------------------------------------------------------------------------------------------
# One fresh process under GNU time: its user + system CPU seconds and peak RSS (KiB), and the output's size.
function Invoke-Measured($Pipeline) {
    if ($Pipeline.Output) { Remove-Item -LiteralPath $Pipeline.Output -ErrorAction Ignore }
    $report = Join-Path $WorkDir 'time.txt'
    $lines = & $time -f '%U %S %M' -o $report @pwsh -NoProfile -NonInteractive -Command $Pipeline.Command 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$($Pipeline.Tool) $($Pipeline.Name) failed ($LASTEXITCODE): $($Pipeline.Command)`n$($lines -join "`n")" }
    $fields = (Get-Content -LiteralPath $report | Select-Object -Last 1) -split ' '
    [pscustomobject]@{
        Cpu   = [double]::Parse($fields[0], $Invariant) + [double]::Parse($fields[1], $Invariant)
        RssKb = [long]$fields[2]
        Bytes = if ($Pipeline.Output) { (Get-Item -LiteralPath $Pipeline.Output).Length } else { $null }
    }
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { return $sorted[($n - 1) / 2] }
    return ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2
}

$samples = @{}
foreach ($p in $pipelines) { $samples["$($p.Tool)/$($p.Name)"] = [Collections.Generic.List[object]]::new() }
for ($r = 1; $r -le $Repeats; $r++) {
    $due = @($pipelines | Where-Object Rounds -ge $r)
    Write-Host "everyday: round $r/$Repeats ($($due.Count) processes)"
    foreach ($p in $due) { $samples["$($p.Tool)/$($p.Name)"].Add((Invoke-Measured $p)) }
}

$empty = Get-Median ($samples['pwsh/empty'] | ForEach-Object Cpu)
$results = [ordered]@{}
foreach ($p in $pipelines) {
    $set = $samples["$($p.Tool)/$($p.Name)"]
    $cpu = Get-Median ($set | ForEach-Object Cpu)
    $results["$($p.Tool)/$($p.Name)"] = [ordered]@{
        cpu_s        = [Math]::Round($cpu, 3)
        own_cpu_s    = [Math]::Round($cpu - $empty, 3)
        peak_rss_mib = [Math]::Round((Get-Median ($set | ForEach-Object RssKb)) / 1024, 1)
        bytes        = $set[-1].Bytes
        runs         = $set.Count
    }
}

# ---- bytes against the canonical encoding ----------------------------------------------------------------------------
# The canonical form of the same message (one segment, no slack), by the schema text the file carries; the file
# minus that schema and the 4096 bytes of CapMap's own framing is what the encoding of the records costs.
Import-Module $ModuleManifest
function Get-CanonicalComparison([string] $Path) {
    $schemaText = Join-Path $WorkDir 'canonical.capnp'
    Get-CapnpSchema -LiteralPath $Path -AsText | Set-Content -LiteralPath $schemaText
    $canonical = Join-Path $WorkDir 'canonical.bin'
    & bash -c 'capnp convert binary:canonical "$0" Batch < "$1" > "$2"' $schemaText $Path $canonical
    if ($LASTEXITCODE -ne 0) { throw "capnp convert binary:canonical failed on $Path ($LASTEXITCODE)." }
    $schemaBytes = [CapMap.Messages.EmbeddedSchema]::Read($Path, 0).CodeGeneratorRequest.Length
    $bytes = (Get-Item -LiteralPath $Path).Length
    $canonicalBytes = (Get-Item -LiteralPath $canonical).Length
    [ordered]@{
        bytes = $bytes; embedded_schema_bytes = $schemaBytes; canonical_bytes = $canonicalBytes
        ratio = [Math]::Round(($bytes - $schemaBytes - 4096) / $canonicalBytes, 4)
    }
}
$canonicalRows = Get-CanonicalComparison "$WorkDir/out-rows-10000.bin"
$canonicalFiles = Get-CanonicalComparison "$WorkDir/out-fileinfo.bin"

function Own([string] $Key) { $results[$Key].own_cpu_s }
# The runs a key's medians are of: the fewest of the pipelines it is computed from.
function Runs([string[]] $Keys) { [int]($Keys | ForEach-Object { $results[$_].runs } | Measure-Object -Minimum).Minimum }
function Rss([string] $Key) { $results[$Key].peak_rss_mib }
$summary = [ordered]@{
    everyday_export_10k_cost_ratio      = [Math]::Round((Own 'capmap/rows-10000') / (Own 'csv/rows-10000'), 3)
    everyday_export_fileinfo_cost_ratio = [Math]::Round((Own 'capmap/fileinfo') / (Own 'csv/fileinfo'), 3)
    everyday_import_10k_speedup         = [Math]::Round((Own 'csv/filter') / (Own 'capmap/filter'), 3)
    everyday_peak_rss_ratio             = [Math]::Round([Math]::Max((Rss 'capmap/rows-10000') / (Rss 'csv/rows-10000'), (Rss 'capmap/fileinfo') / (Rss 'csv/fileinfo')), 3)
    everyday_one_record_bytes           = $results['capmap/one-record'].bytes
    everyday_one_record_cost_s          = Own 'capmap/one-record'
    everyday_bytes_vs_canonical_ratio   = [Math]::Max($canonicalRows.ratio, $canonicalFiles.ratio)
    # Report only: the input's own cost over the CSV pipeline's, the floor under the two export ratios above.
    everyday_export_10k_input_floor_ratio      = [Math]::Round((Own 'input/rows-10000') / (Own 'csv/rows-10000'), 3)
    everyday_export_fileinfo_input_floor_ratio = [Math]::Round((Own 'input/fileinfo') / (Own 'csv/fileinfo'), 3)
    everyday                            = [ordered]@{
        repeats = $Repeats; empty_pwsh_cpu_s = [Math]::Round($empty, 3); file_count = $FileCount
        process_count = @(Get-Process).Count
        pipelines = $results
        canonical_rows_10000 = $canonicalRows; canonical_fileinfo = $canonicalFiles
        key_runs = [ordered]@{
            everyday_export_10k_cost_ratio      = Runs 'pwsh/empty', 'capmap/rows-10000', 'csv/rows-10000'
            everyday_export_fileinfo_cost_ratio = Runs 'pwsh/empty', 'capmap/fileinfo', 'csv/fileinfo'
            everyday_import_10k_speedup         = Runs 'pwsh/empty', 'capmap/filter', 'csv/filter'
            everyday_peak_rss_ratio             = Runs 'capmap/rows-10000', 'csv/rows-10000', 'capmap/fileinfo', 'csv/fileinfo'
            everyday_one_record_bytes           = 1 # deterministic: the size of the file
            everyday_one_record_cost_s          = Runs 'pwsh/empty', 'capmap/one-record'
            everyday_bytes_vs_canonical_ratio   = 1 # deterministic
            everyday_export_10k_input_floor_ratio      = Runs 'pwsh/empty', 'input/rows-10000', 'csv/rows-10000'
            everyday_export_fileinfo_input_floor_ratio = Runs 'pwsh/empty', 'input/fileinfo', 'csv/fileinfo'
        }
    }
}
$summary | ConvertTo-Json -Depth 6 -Compress
