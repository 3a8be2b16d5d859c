#Requires -Version 7.4
<#
.SYNOPSIS
    The CapMap benchmarks (docs/benchmarks.md). Run through `dotnet pwsh ./build.ps1 -Task Bench`, which builds
    the module first and runs this script in a child pwsh.

.DESCRIPTION
    Builds what it compares (bench/CapMap.Bench, the C++ reference against libcapnp-dev, the C limit program),
    then runs five workloads, each measurement in a fresh process:
      1 Core     10M bench.capnp records with MappedMessageBuilder (Fault and Eager) vs the C++ reference
                 (MallocMessageBuilder + writeMessageToFd), without and with fsync, interleaved, medians.
      2 Limit    the same byte count written by bench/limit.c into a fallocated, MADV_POPULATE_WRITE'd mapping.
      3 Scale    1, 4 and 16 GB (as far as the free disk allows) with CapMap and the limit.
      4 Memory   a message of at least 4 GiB in a 256 MiB memory cgroup (v1), verified; the C++ reference
                 under the same cap.
      5 PowerShell  Export-CapnpMessage vs Export-Csv, Import-CapnpMessage vs Import-Csv (bench/ps).
      6 Everyday    whole pipelines in fresh processes, CapMap vs the CSV cmdlets (bench/ps/EverydayBench.ps1).
    Writes out/bench/summary.json, out/bench/runs.jsonl, out/bench/benchmarks.svg (copied to docs/) and the
    numbers section of docs/benchmarks.md. Large files go to -DataDir (default out/bench/data) and are deleted.

.PARAMETER ReportOnly
    Regenerates the chart and docs/benchmarks.md from the last run's out/bench files, measuring nothing.

.PARAMETER Quick
    A smoke run: small sizes, one repetition (numbers not meaningful; docs are not updated).

.PARAMETER OnlyPowerShell
    Runs workload 5 only (PowerShell) and writes its keys into out/bench/summary.json, keeping the other keys of
    the last run there. Docs are not updated.

.PARAMETER OnlyEveryday
    Runs workload 6 only ("everyday": fresh-process pipelines of 1 to 100,000 objects against the CSV cmdlets,
    bench/ps/EverydayBench.ps1; a few minutes on an idle machine) and writes its everyday_* keys into
    out/bench/summary.json, keeping the other keys of the last run there. Docs are not updated.

.PARAMETER EverydayRepeats
    Rounds of workload 6 (default 5, -Quick 1): every pipeline a summary key reads runs once per round and medians are
    reported; the others run in the first two rounds only (EverydayBench.ps1 -ExtraRepeats). Fewer rounds for a quick
    before/after on a busy machine; the committed numbers are from 5 or more. summary.json's key_runs says how many
    runs each key's value comes from.
#>
[CmdletBinding()]
param(
    [long] $Records = 10000000,
    [int] $Repeats = 3,
    [double[]] $ScaleGB = @(1, 4, 16),
    [long] $CgroupMessageBytes = 4.5e9,
    # Workload 5's sizes. Issue 11 measured 1,000,000 rows and 100,000 FileInfo (about 20 minutes at 2 repeats); its
    # keys are ratios per object, which 200,000 and 20,000 give as well in a fifth of the time (docs/benchmarks.md).
    [int] $PowerShellRecords = 200000,
    [int] $PowerShellFileRecords = 20000,
    # Rounds of workload 1 with fsync (extra keys only; without fsync it runs -Repeats rounds).
    [int] $FsyncRepeats = 1,
    [string] $DataDir,
    [switch] $Quick,
    [switch] $SkipPowerShell,
    [switch] $OnlyPowerShell,
    [switch] $OnlyEveryday,
    [switch] $SkipEveryday,
    [ValidateRange(1, 100)] [int] $EverydayRepeats = 5,
    # Rebuild the table, chart and docs from the last run's out/bench/summary.json and runs.jsonl, without measuring.
    [switch] $ReportOnly
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $false
$ProgressPreference = 'SilentlyContinue'

$Root = Split-Path -Parent $PSScriptRoot
$Out = Join-Path $Root 'out/bench'
$BinDir = Join-Path $Out 'bin'
$CppDir = Join-Path $Out 'cpp'
if (-not $DataDir) { $DataDir = Join-Path $Out 'data' }
if ($Quick) { $Records = 200000; $Repeats = 1; $ScaleGB = @(0.05, 0.1); $CgroupMessageBytes = 600e6; $PowerShellRecords = 20000; $PowerShellFileRecords = 5000 }
New-Item -ItemType Directory -Force -Path $Out, $BinDir, $CppDir, $DataDir | Out-Null
$RunsFile = Join-Path $Out 'runs.jsonl'
if (-not $ReportOnly -and -not $OnlyPowerShell -and -not $OnlyEveryday) { Set-Content -LiteralPath $RunsFile -Value $null }
$Dotnet = if ((Split-Path -Leaf ([Environment]::ProcessPath)) -eq 'dotnet') { [Environment]::ProcessPath } else { 'dotnet' }
$Started = [Diagnostics.Stopwatch]::StartNew()
# Seconds each part of the run took (summary.json's workload_seconds), so a run shows where its time went.
$PartSeconds = [ordered]@{}
$PartStarted = 0.0
function Complete-Part([string] $Name) {
    $now = $Started.Elapsed.TotalSeconds
    $script:PartSeconds[$Name] = [Math]::Round($now - $script:PartStarted, 0)
    $script:PartStarted = $now
}

function Write-Step([string] $Message) { Write-Host ("==> [{0,6:F0} s] {1}" -f $Started.Elapsed.TotalSeconds, $Message) }

function Invoke-Checked([string] $File, [string[]] $Arguments) {
    $output = & $File @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed ($LASTEXITCODE): $($output -join "`n")" }
    $output
}

# One measurement: a fresh process printing one JSON line. Output files are removed and dirty pages written
# back before each run, so no run pays for the previous one's writeback.
function Invoke-Run([string] $Workload, [string] $File, [string[]] $Arguments, [string] $Output) {
    if ($Output) { Remove-Item -LiteralPath $Output -ErrorAction Ignore }
    & sync
    $lines = & $File @Arguments 2>&1
    $code = $LASTEXITCODE
    $json = @($lines | Where-Object { $_ -is [string] -and $_.StartsWith('{') }) | Select-Object -Last 1
    if ($code -ne 0 -or -not $json) { throw "$Workload run failed ($code): $File $($Arguments -join ' ')`n$($lines -join "`n")" }
    $run = $json | ConvertFrom-Json -AsHashtable
    $run.workload = $Workload
    Add-Content -LiteralPath $RunsFile -Value ($run | ConvertTo-Json -Compress)
    [pscustomobject]$run
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { return [double]::NaN }
    if ($n % 2) { return $sorted[($n - 1) / 2] }
    return ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2
}

function Get-FreeBytes([string] $Path) { (Invoke-Checked 'df' @('-B1', '--output=avail', $Path) | Select-Object -Last 1).Trim() -as [long] }

function Select-Runs($Runs, [string] $Tool, [string] $Mode, [bool] $Fsync) {
    @($Runs | Where-Object { $_.tool -eq $Tool -and $_.fsync -eq $Fsync -and (-not $Mode -or $_.mode -eq $Mode) })
}
function Get-CoreTable($Runs) {
$table = [System.Collections.Generic.List[object]]::new()
foreach ($fsync in $false, $true) {
    foreach ($entry in @(@('capmap', 'Fault'), @('capmap', 'Eager'), @('cpp', ''), @('limit', ''))) {
        $set = Select-Runs $Runs $entry[0] $entry[1] $fsync
        $table.Add([pscustomobject]@{
                Writer        = if ($entry[1]) { "CapMap $($entry[1])" } else { @{ cpp = 'C++ reference'; limit = 'limit (C)' }[$entry[0]] }
                Fsync         = $fsync
                'Wall s'      = [Math]::Round((Get-Median ($set | ForEach-Object wall_s)), 3)
                'Build s'     = if ($entry[0] -ne 'limit') { [Math]::Round((Get-Median ($set | ForEach-Object build_s)), 3) } else { $null }
                'Finish s'    = if ($entry[0] -ne 'limit') { [Math]::Round((Get-Median ($set | ForEach-Object finish_s)), 3) } else { $null }
                'Peak RSS MiB' = [Math]::Round((($set | ForEach-Object peak_rss_mib) | Measure-Object -Maximum).Maximum, 1)
                'Peak anon MiB' = [Math]::Round((($set | ForEach-Object peak_anon_rss_mib) | Measure-Object -Maximum).Maximum, 1)
                Runs          = $set.Count
                Bytes         = $set[0].bytes
            })
    }
}
$table
}
function Get-Wall([string] $Writer, [bool] $Fsync) { ($table | Where-Object { $_.Writer -eq $Writer -and $_.Fsync -eq $Fsync }).'Wall s' }

if ($ReportOnly) {
    $summary = Get-Content -Raw -LiteralPath (Join-Path $Out 'summary.json') | ConvertFrom-Json -AsHashtable
    $runs = @(Get-Content -LiteralPath $RunsFile | Where-Object { $_ } | ConvertFrom-Json | Where-Object workload -eq 'core')
    $table = Get-CoreTable $runs
    $scaleRows = @($summary.scale | ForEach-Object { [pscustomobject]$_ })
    $summary.scale = $scaleRows
    . (Join-Path $Root 'bench/ps/BenchReport.ps1')
    $svg = New-BenchChart -Summary $summary -CoreTable $table
    Set-Content -LiteralPath (Join-Path $Out 'benchmarks.svg') -Value $svg -NoNewline
    Set-Content -LiteralPath (Join-Path $Root 'docs/benchmarks.svg') -Value $svg -NoNewline
    Update-BenchDoc -Path (Join-Path $Root 'docs/benchmarks.md') -Summary $summary -CoreTable $table -ScaleRows $scaleRows
    $table | Format-Table -AutoSize | Out-Host
    Write-Host 'Regenerated docs/benchmarks.md and docs/benchmarks.svg from out/bench.'
    return
}

# Workload 5 in a fresh pwsh (the built module cannot be reloaded in-process); its JSON result, also in runs.jsonl.
function Invoke-PowerShellWorkload {
    Write-Step "PowerShell: $PowerShellRecords records and $PowerShellFileRecords FileInfo, Export-CapnpMessage vs Export-Csv, Import-CapnpMessage vs Import-Csv"
    [string[]] $pwshArgs = if ((Split-Path -Leaf ([Environment]::ProcessPath)) -eq 'dotnet') { @((Join-Path $PSHOME 'pwsh.dll')) } else { @() }
    $psOut = & ([Environment]::ProcessPath) @pwshArgs -NoProfile -NonInteractive -File (Join-Path $Root 'bench/ps/PowerShellBench.ps1') `
        -ModuleManifest (Join-Path $Root 'out/CapMap/CapMap.psd1') -Schema (Join-Path $Root 'bench/bench.capnp') -WorkDir $DataDir `
        -Records $PowerShellRecords -FileRecords $PowerShellFileRecords -Repeats $(if ($Quick) { 1 } else { 2 }) 2>&1
    if ($LASTEXITCODE -ne 0) { throw "PowerShell workload failed: $($psOut -join "`n")" }
    $result = (@($psOut | Where-Object { "$_".StartsWith('{') }) | Select-Object -Last 1) | ConvertFrom-Json
    Add-Content -LiteralPath $RunsFile -Value (@{ workload = 'powershell' } + ($result | ConvertTo-Json -Depth 4 | ConvertFrom-Json -AsHashtable) | ConvertTo-Json -Compress -Depth 4)
    $result
}

# The summary keys of workload 5 (issue 11), null where it did not run; then the floors (report only: PowerShell's
# own share of the work, see bench/ps/PowerShellBench.ps1), null where the result has none.
function Set-PowerShellKeys($Summary, $Result) {
    foreach ($key in 'export_vs_exportcsv_cost_ratio', 'import_vs_importcsv_speedup', 'export_fileinfo_vs_exportcsv_cost_ratio',
        'import_fileinfo_vs_importcsv_speedup', 'export_alloc_bytes_per_record', 'import_alloc_bytes_per_record',
        'export_binding_floor_vs_exportcsv_cost_ratio', 'export_bulk_vs_exportcsv_cost_ratio', 'import_floor_vs_importcsv_speedup',
        'export_fileinfo_script_floor_vs_exportcsv_cost_ratio', 'import_touched_vs_importcsv_speedup',
        'import_fileinfo_touched_vs_importcsv_speedup') {
        $Summary[$key] = if ($Result -and $Result.PSObject.Properties[$key]) { [Math]::Round($Result.$key, 3) } else { $null }
    }
    $Summary['powershell'] = $Result
}

# Workload 6 in a fresh pwsh, which starts every measured pipeline as a process of its own; its JSON result.
function Invoke-EverydayWorkload {
    Write-Step 'Everyday: fresh-process pipelines of 1 to 100,000 objects, CapMap vs the CSV cmdlets, under GNU time'
    [string[]] $pwshArgs = if ((Split-Path -Leaf ([Environment]::ProcessPath)) -eq 'dotnet') { @((Join-Path $PSHOME 'pwsh.dll')) } else { @() }
    $rowCounts = if ($Quick) { '1,100,10000' } else { '1,100,10000,100000' }
    $everydayOut = & ([Environment]::ProcessPath) @pwshArgs -NoProfile -NonInteractive -Command (
        "& '$(Join-Path $Root 'bench/ps/EverydayBench.ps1')' -ModuleManifest '$(Join-Path $Root 'out/CapMap/CapMap.psd1')' " +
        "-WorkDir '$DataDir' -Repeats $(if ($Quick) { 1 } else { $EverydayRepeats }) -RowCounts $rowCounts") 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Everyday workload failed: $($everydayOut -join "`n")" }
    $json = (@($everydayOut | Where-Object { "$_".StartsWith('{') }) | Select-Object -Last 1)
    Add-Content -LiteralPath $RunsFile -Value (@{ workload = 'everyday' } + ($json | ConvertFrom-Json -AsHashtable) | ConvertTo-Json -Compress -Depth 6)
    $json | ConvertFrom-Json -AsHashtable
}

# The summary keys of workload 6 (issue 22), null where it did not run; its per-pipeline medians under 'everyday'.
function Set-EverydayKeys($Summary, $Result) {
    foreach ($key in 'everyday_export_10k_cost_ratio', 'everyday_export_fileinfo_cost_ratio', 'everyday_import_10k_speedup',
        'everyday_peak_rss_ratio', 'everyday_one_record_bytes', 'everyday_one_record_cost_s', 'everyday_bytes_vs_canonical_ratio',
        'everyday_export_10k_input_floor_ratio', 'everyday_export_fileinfo_input_floor_ratio', 'everyday') {
        $Summary[$key] = if ($Result -and $Result.Contains($key)) { $Result[$key] } else { $null }
    }
}

# How many runs each key's value comes from (its medians, or the runs it is the largest of): summary.json's key_runs,
# shown in the targets table. Deterministic keys (bytes, a verified run) count 1.
function Get-KeyRuns($Summary, $ScaleRows) {
    $runs = [ordered]@{}
    if ($Summary.Contains('core_records')) {
        $runs.core_vs_cpp_wall_ratio = $Summary.repeats
        $runs.core_vs_limit_ratio = $Summary.repeats
        $runs.core_vs_cpp_wall_ratio_1m = $Summary.core_1m_repeats
        $runs.core_vs_limit_ratio_1m = $Summary.core_1m_repeats
        $runs.core_moved_bytes = $Summary.repeats
        $runs.core_bytes_vs_compact_ratio = 1
        # The fewest runs of the sizes compared (the largest runs once).
        $runs.scale_16gb_vs_1gb_per_gb_ratio = if (@($ScaleRows).Count) { [int](@($ScaleRows) | ForEach-Object Runs | Measure-Object -Minimum).Minimum } else { $null }
        $runs.peak_anon_rss_mib = [int]($Summary.repeats * 2 + $Summary.fsync_repeats * 2 + (@($ScaleRows) | ForEach-Object Runs | Measure-Object -Sum).Sum + 1)
        $runs.bigger_than_memory_ok = 1
    }
    if ($Summary.powershell) {
        $psRuns = $Summary.powershell
        $get = { param($k) if ($psRuns -is [System.Collections.IDictionary]) { $psRuns[$k] } else { $psRuns.$k } }
        $repeats = & $get 'repeats'
        $touched = & $get 'touched_repeats'
        if ($null -eq $touched) { $touched = $repeats }
        foreach ($key in 'export_vs_exportcsv_cost_ratio', 'import_vs_importcsv_speedup', 'export_fileinfo_vs_exportcsv_cost_ratio',
            'import_fileinfo_vs_importcsv_speedup', 'export_alloc_bytes_per_record', 'import_alloc_bytes_per_record',
            'export_binding_floor_vs_exportcsv_cost_ratio', 'export_bulk_vs_exportcsv_cost_ratio', 'import_floor_vs_importcsv_speedup',
            'export_fileinfo_script_floor_vs_exportcsv_cost_ratio') { $runs[$key] = $repeats }
        $runs.import_touched_vs_importcsv_speedup = $touched
        $runs.import_fileinfo_touched_vs_importcsv_speedup = $touched
    }
    if ($Summary.everyday) {
        $everydayRuns = $Summary.everyday.key_runs
        foreach ($key in @($everydayRuns.Keys)) { $runs[$key] = $everydayRuns[$key] }
    }
    $runs
}

if ($OnlyEveryday) {
    $everyday = Invoke-EverydayWorkload
    $summaryPath = Join-Path $Out 'summary.json'
    $summary = if (Test-Path -LiteralPath $summaryPath) { Get-Content -Raw -LiteralPath $summaryPath | ConvertFrom-Json -AsHashtable } else { [ordered]@{} }
    Set-EverydayKeys $summary $everyday
    $summary['key_runs'] = Get-KeyRuns $summary @($summary['scale'] | Where-Object { $_ } | ForEach-Object { [pscustomobject]$_ })
    $summary | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $summaryPath
    Write-Host 'Workload 6: everyday'
    $everyday.everyday.pipelines.GetEnumerator() | ForEach-Object { [pscustomobject]([ordered]@{ pipeline = $_.Key } + $_.Value) } | Format-Table -AutoSize | Out-Host
    $everyday.GetEnumerator() | Where-Object Key -ne 'everyday' | ForEach-Object { '{0} = {1}' -f $_.Key, $_.Value } | Out-Host
    Write-Host "Everyday keys written to $summaryPath."
    return
}

if ($OnlyPowerShell) {
    $ps = Invoke-PowerShellWorkload
    $summaryPath = Join-Path $Out 'summary.json'
    $summary = if (Test-Path -LiteralPath $summaryPath) { Get-Content -Raw -LiteralPath $summaryPath | ConvertFrom-Json -AsHashtable } else { [ordered]@{} }
    Set-PowerShellKeys $summary $ps
    $summary['key_runs'] = Get-KeyRuns $summary @($summary['scale'] | Where-Object { $_ } | ForEach-Object { [pscustomobject]$_ })
    $summary | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $summaryPath
    Write-Host 'Workload 5: PowerShell'; $ps | Select-Object -ExcludeProperty raw | Format-List | Out-Host
    Write-Host "PowerShell keys written to $summaryPath."
    return
}

# ---- build ------------------------------------------------------------------------------------------------
Write-Step 'Build bench/CapMap.Bench, the C++ reference and the limit program'
foreach ($tool in 'capnp', 'g++', 'gcc') {
    if (-not (Get-Command $tool -ErrorAction Ignore)) { throw "'$tool' is missing: apt-get install capnproto libcapnp-dev g++ gcc" }
}
if (-not (Test-Path /usr/include/capnp/message.h)) { throw 'libcapnp-dev is missing (no /usr/include/capnp/message.h): apt-get install libcapnp-dev' }
Invoke-Checked $Dotnet @('build', (Join-Path $Root 'bench/CapMap.Bench/CapMap.Bench.csproj'), '-c', 'Release', '-o', $BinDir, '-nologo', '-v', 'q') | Out-Null
$Bench = Join-Path $BinDir 'CapMap.Bench'
$Schema = Join-Path $Root 'bench/bench.capnp'
Invoke-Checked 'capnp' @('compile', "-oc++:$CppDir", "--src-prefix=$(Join-Path $Root 'bench')", $Schema) | Out-Null
$Reference = Join-Path $CppDir 'reference'
Invoke-Checked 'g++' @('-O2', '-std=c++17', "-I$CppDir", '-o', $Reference, (Join-Path $Root 'bench/cpp/reference.c++'), (Join-Path $CppDir 'bench.capnp.c++'), '-lcapnp', '-lkj', '-pthread') | Out-Null
$Limit = Join-Path $CppDir 'limit'
Invoke-Checked 'gcc' @('-O2', '-Wall', '-o', $Limit, (Join-Path $Root 'bench/limit.c')) | Out-Null

# ---- correctness first: both writers produce the same message ---------------------------------------------
Write-Step 'Check: CapMap and the C++ reference write the same 1000 records (capnp convert binary:text)'
$small = Join-Path $DataDir 'small-capmap.bin'
$smallCpp = Join-Path $DataDir 'small-cpp.bin'
Invoke-Checked $Bench @('core', $small, '1000', 'Fault', '0') | Out-Null
Invoke-Checked $Reference @($smallCpp, '1000', '0') | Out-Null
$textCapmap = Get-Content -Raw -LiteralPath $small -AsByteStream | & capnp convert binary:text $Schema Batch
$textCapmapCode = $LASTEXITCODE
$textCpp = Get-Content -Raw -LiteralPath $smallCpp -AsByteStream | & capnp convert binary:text $Schema Batch
if ($textCapmapCode -ne 0 -or $LASTEXITCODE -ne 0 -or ($textCapmap -join "`n") -ne ($textCpp -join "`n") -or ($textCapmap -join '').Length -lt 1000) {
    throw 'capnp convert does not decode both 1000-record messages to the same text.'
}
Remove-Item -LiteralPath $small, $smallCpp
Complete-Part 'build_and_check'

# ---- workloads 1 + 2: core vs C++ vs limit, interleaved ----------------------------------------------------
$core = Join-Path $DataDir 'core.bin'
$cppFile = Join-Path $DataDir 'cpp.bin'
$limitFile = Join-Path $DataDir 'limit.bin'
$runs = [System.Collections.Generic.List[object]]::new()
$coreBytes = 0L
foreach ($fsync in '0', '1') {
    $rounds = if ($fsync -eq '1') { [Math]::Max(1, [Math]::Min($FsyncRepeats, $Repeats)) } else { $Repeats }
    for ($r = 1; $r -le $rounds; $r++) {
        Write-Step "Core round $r/$rounds (fsync=${fsync}): CapMap Fault, CapMap Eager, C++, limit"
        $a = Invoke-Run 'core' $Bench @('core', $core, "$Records", 'Fault', $fsync) $core
        $coreBytes = $a.bytes
        $runs.Add($a)
        $runs.Add((Invoke-Run 'core' $Bench @('core', $core, "$Records", 'Eager', $fsync) $core))
        $runs.Add((Invoke-Run 'core' $Reference @($cppFile, "$Records", $fsync) $cppFile))
        $runs.Add((Invoke-Run 'core' $Limit @($limitFile, "$coreBytes", $fsync) $limitFile))
    }
}
Write-Step 'Compact encoding of the same records: C++ with one first segment large enough for the whole message'
$compact = Invoke-Run 'compact' $Reference @($cppFile, "$Records", '0', '8', "$((1 -shl 29) - 1)") $cppFile
if ($compact.segments -ne 1) { throw "The compact reference wrote $($compact.segments) segments, expected one." }
Write-Step 'Verify the last CapMap and C++ outputs with the CapMap reader (count + spot checks)'
$verifyCore = (Invoke-Checked $Bench @('verify', $core, "$Records") | Select-Object -Last 1) | ConvertFrom-Json
$verifyCpp = (Invoke-Checked $Bench @('verify', $cppFile, "$Records") | Select-Object -Last 1) | ConvertFrom-Json
Remove-Item -LiteralPath $core, $cppFile, $limitFile -ErrorAction Ignore

$table = Get-CoreTable $runs
$capmapWall = Get-Wall 'CapMap Fault' $false
$cppWall = Get-Wall 'C++ reference' $false
$limitWall = Get-Wall 'limit (C)' $false

# ---- workload 1 at 1M records: where C++'s heap is still small; interleaved, medians of at least 5 ----------
$records1m = [Math]::Min(1000000, $Records)
$repeats1m = if ($Quick) { 1 } else { [Math]::Max(5, $Repeats) }
$runs1m = [System.Collections.Generic.List[object]]::new()
for ($r = 1; $r -le $repeats1m; $r++) {
    Write-Step "Core 1M round $r/${repeats1m}: CapMap Fault, C++, limit"
    $a = Invoke-Run 'core1m' $Bench @('core', $core, "$records1m", 'Fault', '0') $core
    $runs1m.Add($a)
    $runs1m.Add((Invoke-Run 'core1m' $Reference @($cppFile, "$records1m", '0') $cppFile))
    $runs1m.Add((Invoke-Run 'core1m' $Limit @($limitFile, "$($a.bytes)", '0') $limitFile))
}
Remove-Item -LiteralPath $core, $cppFile, $limitFile -ErrorAction Ignore
$wall1m = @{}
foreach ($tool in 'capmap', 'cpp', 'limit') { $wall1m[$tool] = Get-Median (@($runs1m | Where-Object tool -eq $tool) | ForEach-Object wall_s) }
$coreMovedBytes = (@(Select-Runs $runs 'capmap' 'Fault' $false) | ForEach-Object moved_bytes | Measure-Object -Maximum).Maximum
Complete-Part 'core'

# ---- workload 3: scale -------------------------------------------------------------------------------------
# A List(Struct)'s body must fit one segment (2^29 words, 4 GiB): 16 GB of 141-byte records would need a
# 10 GB list, so the scale runs use a 256-byte payload (about 390 bytes a record, 72 of them in the list).
$scalePayload = 256
Invoke-Checked $Bench @('core', (Join-Path $DataDir 'calibrate.bin'), '100000', 'Fault', '0', "$scalePayload") | Out-Null
$bytesPerRecord = (Get-Item -LiteralPath (Join-Path $DataDir 'calibrate.bin')).Length / 100000
Remove-Item -LiteralPath (Join-Path $DataDir 'calibrate.bin')
$scale = [System.Collections.Generic.List[object]]::new()
$scaleFile = Join-Path $DataDir 'scale.bin'
foreach ($gb in $ScaleGB) {
    $bytes = [long]($gb * 1e9)
    $free = Get-FreeBytes $DataDir
    if ($free -lt $bytes * 1.25 + 2e9) { Write-Step "Scale $gb GB skipped: only $([Math]::Round($free / 1e9, 1)) GB free"; continue }
    $n = [long][Math]::Ceiling($bytes / $bytesPerRecord)
    $reps = if ($gb -le 1) { [Math]::Max($Repeats, 1) } else { 1 }
    for ($r = 1; $r -le $reps; $r++) {
        Write-Step "Scale $gb GB ($n records, payload $scalePayload) round $r/${reps}: CapMap Fault, limit"
        $run = Invoke-Run 'scale' $Bench @('core', $scaleFile, "$n", 'Fault', '0', "$scalePayload") $scaleFile
        $check = (Invoke-Checked $Bench @('verify', $scaleFile, "$n", "$scalePayload", '200') | Select-Object -Last 1) | ConvertFrom-Json
        if ($check.verify -ne 'ok') { throw "Scale $gb GB: verification failed." }
        Remove-Item -LiteralPath $scaleFile
        $lim = Invoke-Run 'scale' $Limit @($limitFile, "$($run.bytes)", '0') $limitFile
        Remove-Item -LiteralPath $limitFile
        $scale.Add([pscustomobject]@{ GB = $gb; Bytes = $run.bytes; Records = $n; Segments = $run.segments; Wall = $run.wall_s; Finish = $run.finish_s
                PeakRss = $run.peak_rss_mib; PeakAnon = $run.peak_anon_rss_mib; LimitWall = $lim.wall_s })
    }
}
$scaleRows = @($scale | Group-Object GB | ForEach-Object {
        $g = $_.Group
        [pscustomobject]@{
            'Size GB'       = [double]$_.Name
            Bytes           = $g[0].Bytes
            Segments        = $g[0].Segments
            'Wall s'        = [Math]::Round((Get-Median ($g | ForEach-Object Wall)), 3)
            's per GB'      = [Math]::Round((Get-Median ($g | ForEach-Object Wall)) / ($g[0].Bytes / 1e9), 3)
            'Finish s'      = [Math]::Round((Get-Median ($g | ForEach-Object Finish)), 3)
            'Limit s per GB' = [Math]::Round((Get-Median ($g | ForEach-Object LimitWall)) / ($g[0].Bytes / 1e9), 3)
            'Peak RSS MiB'  = ($g | ForEach-Object PeakRss | Measure-Object -Maximum).Maximum
            'Peak anon MiB' = ($g | ForEach-Object PeakAnon | Measure-Object -Maximum).Maximum
            Runs            = $g.Count
        }
    })

Complete-Part 'scale'

# ---- workload 4: bigger than memory -------------------------------------------------------------------------
Write-Step "Bigger than memory: $([Math]::Round($CgroupMessageBytes / 1GB, 2)) GiB in a 256 MiB memory cgroup"
$cgroup = "/sys/fs/cgroup/memory/capmap-bench-$PID"
$cgroupResult = [ordered]@{ ok = $false; note = '' }
function Invoke-InCgroup([string] $Command) {
    # The child joins the cgroup, then becomes the measured program (exec), so nothing else is charged.
    $lines = & sh -c "echo `$`$ > $cgroup/cgroup.procs && exec $Command" 2>&1
    [pscustomobject]@{ Code = $LASTEXITCODE; Lines = @($lines | ForEach-Object { "$_" }) }
}
function Reset-Cgroup {
    if (Test-Path $cgroup) { & rmdir $cgroup 2>$null }
    New-Item -ItemType Directory -Path $cgroup | Out-Null
    Set-Content -LiteralPath "$cgroup/memory.limit_in_bytes" -Value (256MB)
}
try {
    if (-not (Test-Path /sys/fs/cgroup/memory)) { throw 'no v1 memory cgroup hierarchy at /sys/fs/cgroup/memory' }
    $big = Join-Path $DataDir 'cgroup.bin'
    $n = [long][Math]::Ceiling($CgroupMessageBytes / $bytesPerRecord)
    Reset-Cgroup
    Remove-Item -LiteralPath $big -ErrorAction Ignore; & sync
    $build = Invoke-InCgroup "'$Bench' core '$big' $n Fault 0 $scalePayload"
    $buildPeak = [long](Get-Content "$cgroup/memory.max_usage_in_bytes")
    $buildJson = @($build.Lines | Where-Object { $_.StartsWith('{') }) | Select-Object -Last 1
    $verify = Invoke-InCgroup "'$Bench' verify '$big' $n $scalePayload 2000"
    $verifyJson = @($verify.Lines | Where-Object { $_.StartsWith('{') }) | Select-Object -Last 1
    $bigBytes = if (Test-Path $big) { (Get-Item $big).Length } else { 0 }
    Remove-Item -LiteralPath $big -ErrorAction Ignore
    Reset-Cgroup
    & sync
    $cppRun = Invoke-InCgroup "'$Reference' '$cppFile' $n 0 $scalePayload"
    $oom = Get-Content "$cgroup/memory.oom_control" | Where-Object { $_ -like 'oom_kill *' }
    Remove-Item -LiteralPath $cppFile -ErrorAction Ignore
    $buildInfo = if ($buildJson) { $buildJson | ConvertFrom-Json } else { $null }
    $verifyInfo = if ($verifyJson) { $verifyJson | ConvertFrom-Json } else { $null }
    $cgroupResult = [ordered]@{
        ok                       = ($build.Code -eq 0 -and $verify.Code -eq 0 -and $verifyInfo -and $verifyInfo.verify -eq 'ok' -and $bigBytes -ge 4GB)
        limit_mib                = 256
        records                  = $n
        bytes                    = $bigBytes
        capmap_exit              = $build.Code
        capmap_wall_s            = if ($buildInfo) { $buildInfo.wall_s } else { $null }
        capmap_peak_anon_rss_mib = if ($buildInfo) { $buildInfo.peak_anon_rss_mib } else { $null }
        cgroup_max_usage_mib     = [Math]::Round($buildPeak / 1MB, 1)
        verify                   = if ($verifyInfo) { $verifyInfo.verify } else { "exit $($verify.Code)" }
        verify_checked           = if ($verifyInfo) { $verifyInfo.checked } else { 0 }
        cpp_exit                 = $cppRun.Code
        cpp_killed               = ($cppRun.Code -ne 0)
        cpp_oom_kills            = $oom
        cpp_output               = ($cppRun.Lines | Select-Object -Last 2) -join ' '
    }
}
catch {
    $cgroupResult.note = "$_"
}
finally {
    if (Test-Path $cgroup) { & rmdir $cgroup 2>$null }
}
$cgroupRecord = [ordered]@{ workload = 'cgroup' }
foreach ($k in $cgroupResult.Keys) { $cgroupRecord[$k] = $cgroupResult[$k] }
Add-Content -LiteralPath $RunsFile -Value ($cgroupRecord | ConvertTo-Json -Compress)

Complete-Part 'bigger_than_memory'

# ---- workload 5: PowerShell --------------------------------------------------------------------------------
$ps = if ($SkipPowerShell) { $null } else { Invoke-PowerShellWorkload }
Complete-Part 'powershell'

# ---- workload 6: everyday ----------------------------------------------------------------------------------
$everyday = if ($SkipEveryday) { $null } else { Invoke-EverydayWorkload }
Complete-Part 'everyday'

# ---- summary -----------------------------------------------------------------------------------------------
$capmapRuns = @($runs | Where-Object tool -eq 'capmap') + @($scale | ForEach-Object { [pscustomobject]@{ peak_anon_rss_mib = $_.PeakAnon } })
if ($cgroupResult.Contains('capmap_peak_anon_rss_mib') -and $cgroupResult.capmap_peak_anon_rss_mib) { $capmapRuns += [pscustomobject]@{ peak_anon_rss_mib = $cgroupResult.capmap_peak_anon_rss_mib } }
# Time per GB relative to the limit at the largest size, divided by the same at the smallest (1 GB): flat is 1.
$scaleSorted = @($scaleRows | Sort-Object 'Size GB')
$scaleRatio = if ($scaleSorted.Count -ge 2) {
    $relative = { param($row) $row.'s per GB' / $row.'Limit s per GB' }
    [Math]::Round((& $relative $scaleSorted[-1]) / (& $relative $scaleSorted[0]), 3)
} else { $null }
$summary = [ordered]@{
    core_vs_cpp_wall_ratio         = [Math]::Round($capmapWall / $cppWall, 3)
    core_vs_limit_ratio            = [Math]::Round($capmapWall / $limitWall, 3)
    core_vs_cpp_wall_ratio_1m      = [Math]::Round($wall1m.capmap / $wall1m.cpp, 3)
    core_vs_limit_ratio_1m         = [Math]::Round($wall1m.capmap / $wall1m.limit, 3)
    core_moved_bytes               = [long]$coreMovedBytes
    core_bytes_vs_compact_ratio    = [Math]::Round($coreBytes / $compact.bytes, 4)
    scale_16gb_vs_1gb_per_gb_ratio = $scaleRatio
    peak_anon_rss_mib              = ($capmapRuns | ForEach-Object peak_anon_rss_mib | Measure-Object -Maximum).Maximum
    bigger_than_memory_ok          = [bool]$cgroupResult.ok
    cpp_reference_wall_s           = $cppWall
    capmap_wall_s                  = $capmapWall
    # Extra keys.
    capmap_eager_wall_s            = Get-Wall 'CapMap Eager' $false
    limit_wall_s                   = $limitWall
    capmap_fsync_wall_s            = Get-Wall 'CapMap Fault' $true
    cpp_reference_fsync_wall_s     = Get-Wall 'C++ reference' $true
    limit_fsync_wall_s             = Get-Wall 'limit (C)' $true
    core_vs_cpp_fsync_wall_ratio   = [Math]::Round((Get-Wall 'CapMap Fault' $true) / (Get-Wall 'C++ reference' $true), 3)
    cpp_peak_anon_rss_mib          = ($table | Where-Object Writer -eq 'C++ reference' | ForEach-Object 'Peak anon MiB' | Measure-Object -Maximum).Maximum
    core_records                   = $Records
    core_bytes                     = $coreBytes
    compact_bytes                  = $compact.bytes
    core_1m_records                = $records1m
    core_1m_repeats                = $repeats1m
    capmap_1m_wall_s               = $wall1m.capmap
    cpp_reference_1m_wall_s        = $wall1m.cpp
    limit_1m_wall_s                = $wall1m.limit
    scale_largest_gb               = if ($scaleSorted.Count) { $scaleSorted[-1].'Size GB' } else { $null }
    repeats                        = $Repeats
    fsync_repeats                  = [Math]::Max(1, [Math]::Min($FsyncRepeats, $Repeats))
    verify_capmap                  = $verifyCore.verify
    verify_cpp                     = $verifyCpp.verify
    scale                          = $scaleRows
    bigger_than_memory             = $cgroupResult
    powershell                     = $ps
    machine                        = [ordered]@{
        cpus   = [Environment]::ProcessorCount
        memory_gib = [Math]::Round(((Get-Content /proc/meminfo | Select-Object -First 1) -replace '\D', '') / 1MB, 1)
        kernel = (Invoke-Checked 'uname' @('-r') | Select-Object -First 1)
        fs     = (Invoke-Checked 'findmnt' @('-n', '-o', 'FSTYPE', '--target', $DataDir) | Select-Object -First 1)
        cpu    = ((Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', '')
        dotnet = [Environment]::Version.ToString()
        capnp  = (Invoke-Checked 'capnp' @('--version') | Select-Object -First 1)
    }
    total_seconds                  = [Math]::Round($Started.Elapsed.TotalSeconds, 0)
    workload_seconds               = $PartSeconds
    date                           = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd')
}
Set-PowerShellKeys $summary $ps
Set-EverydayKeys $summary $everyday
$summary['key_runs'] = Get-KeyRuns $summary $scaleRows
$summaryPath = Join-Path $Out 'summary.json'
$summary | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $summaryPath

Write-Host ''
Write-Host "Workload 1+2: $Records records, $coreBytes bytes; medians of $Repeats interleaved runs"
$table | Format-Table -AutoSize | Out-Host
Write-Host 'Workload 3: scale (Fault mode, 256-byte payload)'
$scaleRows | Format-Table -AutoSize | Out-Host
Write-Host 'Workload 4: bigger than memory'
[pscustomobject]$cgroupResult | Format-List | Out-Host
if ($ps) { Write-Host 'Workload 5: PowerShell'; $ps | Select-Object -ExcludeProperty raw | Format-List | Out-Host }
Write-Host "summary.json ($summaryPath):"
[pscustomobject]($summary.GetEnumerator() | Where-Object { $_.Value -isnot [System.Collections.IEnumerable] -or $_.Value -is [string] } |
    ForEach-Object -Begin { $h = [ordered]@{} } -Process { $h[$_.Key] = $_.Value } -End { $h }) | Format-List | Out-Host

# ---- chart and docs ----------------------------------------------------------------------------------------
. (Join-Path $Root 'bench/ps/BenchReport.ps1')
$svg = New-BenchChart -Summary $summary -CoreTable $table
Set-Content -LiteralPath (Join-Path $Out 'benchmarks.svg') -Value $svg -NoNewline
if (-not $Quick) {
    Set-Content -LiteralPath (Join-Path $Root 'docs/benchmarks.svg') -Value $svg -NoNewline
    Update-BenchDoc -Path (Join-Path $Root 'docs/benchmarks.md') -Summary $summary -CoreTable $table -ScaleRows $scaleRows
    Write-Host 'Updated docs/benchmarks.md and docs/benchmarks.svg.'
}
Write-Step 'Done'
