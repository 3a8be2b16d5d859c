<#
.SYNOPSIS
    CapMap demo. build.ps1 -Task Demo runs this in a child pwsh after building out/CapMap.

.DESCRIPTION
    Needs only the .NET SDK: the schema is the precompiled tools/demo/procs.capnp.bin, and every file is checked
    by reading it back with CapMap. Where the Cap'n Proto tool is installed (capnp on PATH, or $env:CAPNP), each
    file is also proved with the reader we did not write, `capnp convert binary:json`.
    1. Test-CapMapPlatform: can this directory grow files on demand?
    2. No schema: Get-Process | Export-CapnpMessage ./procs.bin, then Import-CapnpMessage ./procs.bin.
    3. Get-Process -> New-CapnpMappedMessage | Add-CapnpStruct | Complete-CapnpMappedMessage (explicit schema).
    4. Get-CapnpMessageInfo on the result.
    5. Import-CapnpMessage reads it back and is compared with what went in.
    6. The reference tool, if present: `capnp convert binary:json`, compared with what went in.
    7. A generated CSV of 200,000 rows -> Export-CapnpMessage in one pipeline, checked again.
    Files go to out/demo/.

    procs.capnp.bin is `capnp compile -o- procs.capnp` run in tools/demo (or Import-CapnpSchema
    tools/demo/procs.capnp -SavePrecompiled tools/demo/procs.capnp.bin -Force); regenerate it after editing
    procs.capnp. A Pester test (Demo.Tests.ps1) fails when the two disagree.
#>
[CmdletBinding()]
param(
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../out/CapMap/CapMap.psd1'),
    [string] $OutputDirectory = (Join-Path $PSScriptRoot '../out/demo'),
    [int] $CsvRows = 200000
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

if (-not (Test-Path -LiteralPath $ModuleManifest)) {
    throw "The module is not built: '$ModuleManifest' does not exist. Run ./build.ps1 -Task Build first."
}
$module = Import-Module -Name (Resolve-Path -LiteralPath $ModuleManifest).ProviderPath -PassThru -Force
$null = New-Item -ItemType Directory -Force -Path $OutputDirectory
$out = (Resolve-Path -LiteralPath $OutputDirectory).ProviderPath
$schemaSource = Join-Path $PSScriptRoot 'demo/procs.capnp'
$schemaFile = Join-Path $PSScriptRoot 'demo/procs.capnp.bin'

function Write-Section([string] $Title) { Write-Host ''; Write-Host "=== $Title ===" -ForegroundColor Cyan }

# The reference tool, found as the module finds it: $env:CAPNP, else capnp on PATH. Null when absent.
$capnp = if ($env:CAPNP -and (Test-Path -LiteralPath $env:CAPNP)) { $env:CAPNP }
else { Get-Command -Name capnp -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1 -ExpandProperty Source }
$capnpHint = "The capnp tool is not installed, so the check with the reference reader is skipped. " +
    "To add it: apt-get install capnproto (Debian/Ubuntu), or set CAPNP to the capnp executable, and run the Demo again."

# Runs `capnp convert binary:json` on a message file and returns the parsed JSON.
function Read-WithCapnp([string] $Schema, [string] $Type, [string] $File) {
    $json = & bash -c '"$0" convert binary:json "$1" "$2" < "$3"' $capnp $Schema $Type $File
    if ($LASTEXITCODE -ne 0) { throw "capnp convert failed on $File" }
    ($json -join "`n") | ConvertFrom-Json -NoEnumerate
}

# Counts the records whose pid, name, working set or priority differ from what went in.
function Get-Mismatch($Expected, $Actual) {
    $bad = 0
    for ($i = 0; $i -lt $Expected.Count; $i++) {
        $e = $Expected[$i]; $a = $Actual[$i]
        if ($a.pid -ne $e.pid -or $a.name -ne $e.name -or [uint64] $a.workingSet -ne [uint64] $e.workingSet -or $a.priority -ne $e.priority) { $bad++ }
    }
    $bad
}

Write-Host "CapMap $($module.Version) from $($module.ModuleBase)"
Write-Host ($capnp ? "Reference tool: $capnp" : $capnpHint)

Write-Section '1. Test-CapMapPlatform'
$report = Test-CapMapPlatform -Path $out
$report | Format-List | Out-Host
if (-not $report.IsSupported) { throw "CapMap cannot grow files in $out; see the problems above." }

# ---- 2. The way in: no schema at all ------------------------------------------------------------------------
# Export-CapnpMessage infers the schema and the file carries it, so Import-CapnpMessage needs none either.
Write-Section '2. Get-Process | Export-CapnpMessage ./procs.bin (no schema)'
Push-Location -LiteralPath $out
try {
    $live = @(Get-Process)
    $live | Export-CapnpMessage ./procs.bin -Force
    $top = @(Import-CapnpMessage ./procs.bin | Sort-Object WorkingSet64 -Descending | Select-Object -First 5)
    $top | Format-Table Id, ProcessName, WorkingSet64, StartTime | Out-Host
    $count = @(Import-CapnpMessage ./procs.bin).Count
    if ($count -ne $live.Count) { throw "procs.bin holds $count processes; $($live.Count) went in." }
    Write-Host "procs.bin holds all $count processes, read back without a schema."
    if ($capnp) {
        # The schema the file carries, as .capnp text: the reference reader decodes the file with it.
        Get-CapnpSchema ./procs.bin -AsText | Set-Content ./procs-inferred.capnp
        $problem = & bash -c '"$0" convert binary:json "$1" Batch < "$2" 2>&1 > /dev/null' $capnp ./procs-inferred.capnp ./procs.bin
        if ($LASTEXITCODE -ne 0) { throw "capnp could not decode procs.bin with its carried schema: $problem" }
        Write-Host 'capnp decodes procs.bin with the schema it carries (Get-CapnpSchema -AsText).'
    }
}
finally { Pop-Location }

# ---- 3.-6. An explicit schema ---------------------------------------------------------------------------------
Write-Section '3. Get-Process -> New-CapnpMappedMessage | Add-CapnpStruct | Complete-CapnpMappedMessage'
# The precompiled schema: importing it needs no capnp tool.
$schema = Import-CapnpSchema -LiteralPath $schemaFile
$schema | Out-Host
$processes = @(Get-Process | ForEach-Object {
        [pscustomobject]@{
            pid        = $_.Id
            name       = $_.ProcessName
            cpuSeconds = if ($null -ne $_.CPU) { [double] $_.CPU } else { 0.0 }
            workingSet = $_.WorkingSet64
            threads    = $_.Threads.Count
            priority   = switch ($_.BasePriority) { { $_ -lt 0 } { 'high' } { $_ -gt 0 } { 'low' } default { 'normal' } }
            # 'started' is a named union (a group): set the member as a nested property; left out, it stays 'unknown'.
            started    = try { @{ unix = ([DateTimeOffset] $_.StartTime).ToUnixTimeSeconds() } } catch { $null }
        }
    })
$procFile = Join-Path $out 'processes.bin'
$summary = New-CapnpMappedMessage -Path $procFile -Schema $schema -RootType Snapshot -Force `
    -Property @{ host = [Environment]::MachineName; takenUnix = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() } |
    Add-CapnpStruct -Value $processes -PassThru |
    Complete-CapnpMappedMessage
$summary | Out-Host

Write-Section '4. Get-CapnpMessageInfo'
Get-CapnpMessageInfo -LiteralPath $procFile | Out-Host

Write-Section '5. Import-CapnpMessage (read back through a mapping, lazily) and compared with what went in'
$back = @(Import-CapnpMessage -LiteralPath $procFile -Schema $schema -RootType Snapshot)
$bad = Get-Mismatch $processes $back
Write-Host ("Import-CapnpMessage read {0} processes (we wrote {1}); {2} mismatching records." -f $back.Count, $processes.Count, $bad)
if ($back.Count -ne $processes.Count -or $bad -ne 0) { throw 'Import-CapnpMessage does not read what was written.' }
$back | Sort-Object workingSet -Descending |
    Select-Object -First 5 pid, name, workingSet, threads, priority, @{ n = 'startedUnix'; e = { $_.started.unix } } | Format-Table | Out-Host

Write-Section '6. Read by the reference tool: capnp convert binary:json | ConvertFrom-Json'
if ($capnp) {
    $json = Read-WithCapnp $schemaSource 'Snapshot' $procFile
    $bad = Get-Mismatch $processes $json.processes
    Write-Host ("capnp read {0} processes (we wrote {1}); host '{2}'; {3} mismatching records." -f $json.processes.Count, $processes.Count, $json.host, $bad)
    if ($json.processes.Count -ne $processes.Count -or $bad -ne 0) { throw 'capnp does not read what was written.' }
}
else {
    Write-Host $capnpHint
}

Write-Section "7. CSV of $($CsvRows.ToString('N0')) rows -> Export-CapnpMessage"
$csv = Join-Path $out 'processes.csv'
$sb = [Text.StringBuilder]::new()
$null = $sb.AppendLine('Pid,Name,Cpu,WorkingSet,Threads,Priority,Started')
for ($i = 0; $i -lt $CsvRows; $i++) {
    $started = if ($i % 10) { 1700000000 + $i } else { '' }
    $null = $sb.AppendLine("$i,proc-$($i % 977),$($i * 0.01),$(1MB + $i * 4096),$(1 + $i % 64),$(@('normal', 'high', 'low')[$i % 3]),$started")
}
[IO.File]::WriteAllText($csv, $sb.ToString())
$csvFile = Join-Path $out 'processes-csv.bin'
$elapsed = Measure-Command {
    Import-Csv -LiteralPath $csv |
        Select-Object @{ n = 'pid'; e = { $_.Pid } }, @{ n = 'name'; e = { $_.Name } }, @{ n = 'cpuSeconds'; e = { $_.Cpu } },
            @{ n = 'workingSet'; e = { $_.WorkingSet } }, @{ n = 'threads'; e = { $_.Threads } }, @{ n = 'priority'; e = { $_.Priority } },
            @{ n = 'started'; e = { if ($_.Started) { @{ unix = $_.Started } } } } |
        Export-CapnpMessage -Path $csvFile -Schema $schema -RootType Snapshot -Property @{ host = 'csv' } -Force
}
$info = Get-CapnpMessageInfo -LiteralPath $csvFile
Write-Host ("Exported {0:N0} records ({1:N0} bytes, {2} segment(s)) in {3:N1} s." -f $info.RecordCount, $info.FileBytes, $info.SegmentCount, $elapsed.TotalSeconds)
if ($info.RecordCount -ne $CsvRows) { throw "The CSV export holds $($info.RecordCount) records; $CsvRows went in." }
$tail = @(Import-CapnpMessage -LiteralPath $csvFile -Schema $schema -RootType Snapshot -Skip ($CsvRows - 3))
Write-Host "Import-CapnpMessage -Skip $($CsvRows - 3):"
$tail | Select-Object pid, name, cpuSeconds, workingSet, threads, priority, @{ n = 'started'; e = { if ($_.started.PSObject.Properties['unix']) { $_.started.unix } else { 'unknown' } } } |
    Format-Table | Out-Host
$last = $CsvRows - 1
if ($tail.Count -ne 3 -or $tail[-1].pid -ne $last -or $tail[-1].name -ne "proc-$($last % 977)") { throw 'Import-CapnpMessage does not read the CSV export back.' }
if ($capnp) {
    $csvJson = Read-WithCapnp $schemaSource 'Snapshot' $csvFile
    $lastJson = $csvJson.processes[-1]
    Write-Host ("capnp reads {0:N0} records; the last is pid {1}, name {2}, priority {3}." -f $csvJson.processes.Count, $lastJson.pid, $lastJson.name, $lastJson.priority)
    if ($csvJson.processes.Count -ne $CsvRows -or $lastJson.pid -ne $last) { throw 'capnp does not read the CSV export back.' }
}
else {
    Write-Host $capnpHint
}

Write-Host ''
Write-Host "Demo finished. Files are in $out." -ForegroundColor Green
