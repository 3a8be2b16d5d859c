#Requires -Version 7.4
<#
.SYNOPSIS
    The child pwsh of tests/Pester/ReaderTruncation.Tests.ps1: builds a message of about 48 MB, then -Rounds
    times copies it, lets another process (`truncate -s 4096`) cut the copy at a random moment and reads the copy
    with Import-CapnpMessage in this same session. Prints one JSON line per round ("REP {...}": the records read,
    whether each is the one written, the ErrorIds) and "DONE". The parent asserts; a child that dies by a signal
    (the SIGBUS of a read past the new end) is a crash.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $SchemaPath,
    [Parameter(Mandatory)] [string] $Directory,
    [int] $Rounds = 10,
    [int] $Seed = 1
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModuleManifest
$schema = Import-CapnpSchema -LiteralPath $SchemaPath

$count = 12000
$nameLength = 4000
$original = Join-Path $Directory 'original.bin'
1..$count | ForEach-Object { [pscustomobject]@{ id = [uint64] $_; name = ('n' * $nameLength) } } |
    Export-CapnpMessage -Path $original -Schema $schema -RootType Batch -Force
$bytes = (Get-Item -LiteralPath $original).Length

# Time one full read, so the cuts spread over the whole read.
$clock = [Diagnostics.Stopwatch]::StartNew()
$null = Import-CapnpMessage -LiteralPath $original -Schema $schema -RootType Batch
$readMs = [math]::Max(1, $clock.ElapsedMilliseconds)

$random = [Random]::new($Seed)
for ($round = 0; $round -lt $Rounds; $round++) {
    $copy = Join-Path $Directory "round$round.bin"
    Copy-Item -LiteralPath $original -Destination $copy -Force
    $delay = [math]::Round($random.NextDouble() * $readMs * 1.2 / 1000, 3)
    $cut = [Diagnostics.ProcessStartInfo]::new('bash')
    foreach ($a in @('-c', "sleep $delay; truncate -s 4096 `"`$0`"", $copy)) { $cut.ArgumentList.Add($a) }
    $cutter = [Diagnostics.Process]::Start($cut)
    $records = @(Import-CapnpMessage -LiteralPath $copy -Schema $schema -RootType Batch -ErrorAction SilentlyContinue -ErrorVariable failures)
    $cutter.WaitForExit()
    $wrong = 0
    for ($i = 0; $i -lt $records.Count; $i++) {
        if ($records[$i].id -ne $i + 1 -or $records[$i].name.Length -ne $nameLength) { $wrong++ }
    }
    $rep = @{
        round    = $round
        bytes    = $bytes
        delayS   = $delay
        read     = $records.Count
        wrong    = $wrong
        complete = $records.Count -eq $count
        errorIds = @($failures | ForEach-Object { $_.FullyQualifiedErrorId })
        messages = @($failures | ForEach-Object { "$_" })
        alive    = (1..10 | Measure-Object -Sum).Sum -eq 55
    }
    Remove-Item -LiteralPath $copy -Force
    [Console]::Out.WriteLine('REP ' + ($rep | ConvertTo-Json -Compress -Depth 4))
    [Console]::Out.Flush()
}
[Console]::Out.WriteLine('DONE')
