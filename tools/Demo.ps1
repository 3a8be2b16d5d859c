<#
.SYNOPSIS
    CapMap demo. build.ps1 -Task Demo runs this in a child pwsh after building out/CapMap.

.DESCRIPTION
    1. Test-CapMapPlatform: can this directory grow files on demand?
    2. Get-Process -> New-CapnpMappedMessage | Add-CapnpStruct | Complete-CapnpMappedMessage.
    3. Get-CapnpMessageInfo on the result.
    4. Proof with the reader we did not write: `capnp convert binary:json`, compared with what went in.
    5. Import-CapnpMessage reads it back.
    6. A generated CSV of 200,000 rows -> Export-CapnpMessage in one pipeline, checked with capnp again.
    Files go to out/demo/.
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
$schemaFile = Join-Path $PSScriptRoot 'demo/procs.capnp'

function Write-Section([string] $Title) { Write-Host ''; Write-Host "=== $Title ===" -ForegroundColor Cyan }

# Runs `capnp convert binary:json` on a message file and returns the parsed JSON.
function Read-WithCapnp([string] $Schema, [string] $Type, [string] $File) {
    $json = & bash -c 'capnp convert binary:json "$0" "$1" < "$2"' $Schema $Type $File
    if ($LASTEXITCODE -ne 0) { throw "capnp convert failed on $File" }
    ($json -join "`n") | ConvertFrom-Json -NoEnumerate
}

Write-Host "CapMap $($module.Version) from $($module.ModuleBase)"

Write-Section '1. Test-CapMapPlatform'
$report = Test-CapMapPlatform -Path $out
$report | Format-List | Out-Host
if (-not $report.IsSupported) { throw "CapMap cannot grow files in $out; see the problems above." }

Write-Section '2. Get-Process -> New-CapnpMappedMessage | Add-CapnpStruct | Complete-CapnpMappedMessage'
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

Write-Section '3. Get-CapnpMessageInfo'
Get-CapnpMessageInfo -LiteralPath $procFile | Out-Host

Write-Section '4. Read by the reference tool: capnp convert binary:json | ConvertFrom-Json'
$json = Read-WithCapnp $schemaFile 'Snapshot' $procFile
$bad = 0
for ($i = 0; $i -lt $processes.Count; $i++) {
    $p = $processes[$i]; $j = $json.processes[$i]
    if ($j.pid -ne $p.pid -or $j.name -ne $p.name -or [uint64] $j.workingSet -ne [uint64] $p.workingSet -or $j.priority -ne $p.priority) { $bad++ }
}
Write-Host ("capnp read {0} processes (we wrote {1}); host '{2}'; {3} mismatching records." -f $json.processes.Count, $processes.Count, $json.host, $bad)
if ($json.processes.Count -ne $processes.Count -or $bad -ne 0) { throw 'capnp does not read what was written.' }
$json.processes | Select-Object -First 5 pid, name, workingSet, priority | Format-Table | Out-Host

Write-Section '5. Import-CapnpMessage (read back through a mapping, lazily)'
Import-CapnpMessage -LiteralPath $procFile -Schema $schema -RootType Snapshot |
    Sort-Object workingSet -Descending |
    Select-Object -First 5 pid, name, workingSet, threads, priority, @{ n = 'startedUnix'; e = { $_.started.unix } } | Format-Table | Out-Host

Write-Section "6. CSV of $($CsvRows.ToString('N0')) rows -> Export-CapnpMessage"
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
$csvJson = Read-WithCapnp $schemaFile 'Snapshot' $csvFile
$last = $csvJson.processes[-1]
Write-Host ("capnp reads {0:N0} records; the last is pid {1}, name {2}, priority {3}." -f $csvJson.processes.Count, $last.pid, $last.name, $last.priority)
if ($csvJson.processes.Count -ne $CsvRows -or $last.pid -ne $CsvRows - 1) { throw 'capnp does not read the CSV export back.' }
$back = @(Import-CapnpMessage -LiteralPath $csvFile -Schema $schema -RootType Snapshot -Skip ($CsvRows - 3))
Write-Host "Import-CapnpMessage -Skip $($CsvRows - 3):"
$back | Select-Object pid, name, cpuSeconds, workingSet, threads, priority, @{ n = 'started'; e = { if ($_.started.PSObject.Properties['unix']) { $_.started.unix } else { 'unknown' } } } |
    Format-Table | Out-Host

Write-Host ''
Write-Host "Demo finished. Files are in $out." -ForegroundColor Green
