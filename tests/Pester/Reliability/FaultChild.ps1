#Requires -Version 7.4
<#
.SYNOPSIS
    The child pwsh of tests/Pester/Reliability.Tests.ps1: builds messages through the cmdlets under a fault
    and prints one JSON line per attempt ("REP {...}") with what the cmdlets reported and what the file holds,
    then "DONE". The parent asserts; a child that dies by a signal counts as a crash.
.PARAMETER Scenario
    Fill     - build past the space of -Directory (a 16 MiB tmpfs, or a file-size limit set by the parent's
               `ulimit -f`), -Reps times, alternating Fault/Eager growth and Export-CapnpMessage/Add-CapnpStruct.
    Kill     - Add-CapnpStruct 500 records at a time with Save-CapnpMappedMessage after each, printing
               "checkpoint N", until the parent kills the process.
    Truncate - another process truncates the file while Add-CapnpStruct and Export-CapnpMessage are writing.
    Lock     - tries to open -File (held by the parent's writer) as a second writer.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $SchemaPath,
    [Parameter(Mandatory)] [string] $SchemaSource,
    [Parameter(Mandatory)] [string] $Directory,
    [ValidateSet('Fill', 'Kill', 'Truncate', 'Lock')] [string] $Scenario = 'Fill',
    [int] $Reps = 1,
    [int] $FirstRep = 0,
    [int] $Seed = 1,
    [string] $Growth = 'Fault',
    [string] $File
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModuleManifest
$schema = Import-CapnpSchema -LiteralPath $SchemaPath

function Out-Line([string] $Text) { [Console]::Out.WriteLine($Text); [Console]::Out.Flush() }
function Out-Rep([hashtable] $Data) { Out-Line ('REP ' + ($Data | ConvertTo-Json -Compress -Depth 4)) }

# capnp convert binary:json (the reference reader) over the file: exit status and the number of records.
function Test-WithCapnp([string] $Path) {
    $json = [IO.Path]::GetTempFileName()
    $out = & bash -c 'capnp convert binary:json "$1" Batch < "$2" > "$3" || { echo FAIL; exit 0; }; grep -o "\"id\"" "$3" | wc -l' _ $SchemaSource $Path $json
    Remove-Item -LiteralPath $json -Force
    if ("$out".Trim() -eq 'FAIL') { return -1 }
    [int] "$out".Trim()
}

function Get-FileFacts([string] $Path) {
    $facts = @{ exists = (Test-Path -LiteralPath $Path) }
    if (-not $facts.exists) { return $facts }
    $info = Get-CapnpMessageInfo -LiteralPath $Path
    if ($info.State -notin 'Checkpoint', 'Complete') {
        $repair = Repair-CapnpMappedMessage -LiteralPath $Path -Confirm:$false
        $facts.repaired = $repair.RecordCount
        $info = Get-CapnpMessageInfo -LiteralPath $Path
    }
    $facts.state = "$($info.State)"
    $facts.records = $info.RecordCount
    $facts.slack = $info.SlackBytes
    $facts.capnp = Test-WithCapnp $Path
    if ($info.RecordCount -gt 0) {
        $last = Import-CapnpMessage -LiteralPath $Path -Schema $schema -RootType Batch -Skip ($info.RecordCount - 1) -First 1
        $facts.lastId = [long] $last.id
    }
    $facts
}

function New-Record([long] $Id, [string] $Name) { [pscustomobject]@{ id = $Id; name = $Name } }

switch ($Scenario) {
    'Fill' {
        $random = [Random]::new($Seed)
        for ($rep = $FirstRep; $rep -lt $FirstRep + $Reps; $rep++) {
            $mode = @('Fault', 'Eager')[$rep % 2]
            $flow = @('Export', 'Add')[[math]::Floor($rep / 2) % 2]
            $name = 'x' * $random.Next(1000, 6000)
            $path = Join-Path $Directory "rep$rep.bin"
            $result = @{ rep = $rep; mode = $mode; flow = $flow; saved = 0 }
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $m = $null
            try {
                if ($flow -eq 'Export') {
                    1..1000000 | ForEach-Object { New-Record $_ $name } |
                        Export-CapnpMessage -Path $path -Schema $schema -RootType Batch -Growth $mode -Reserve 1GB
                }
                else {
                    $m = New-CapnpMappedMessage -Path $path -Schema $schema -RootType Batch -Growth $mode -Reserve 1GB
                    $batch = $random.Next(100, 700)
                    for ($n = 0; $n -lt 1000000; $n += $batch) {
                        ($n + 1)..($n + $batch) | ForEach-Object { New-Record $_ $name } | Add-CapnpStruct -Message $m
                        $null = Save-CapnpMappedMessage -Message $m
                        $result.saved = $n + $batch
                    }
                }
                $result.errorId = ''
            }
            catch {
                $result.errorId = $_.FullyQualifiedErrorId
                $result.category = "$($_.CategoryInfo.Category)"
                $result.message = "$_"
            }
            finally {
                if ($m) { $m.Dispose() }
            }
            # The same session goes on: plain commands and the cmdlets still work.
            $result.buildMs = $clock.ElapsedMilliseconds
            $result.alive = ((1..10 | Measure-Object -Sum).Sum -eq 55) -and ($null -ne (Get-CapnpMessageInfo -LiteralPath $path))
            $result += Get-FileFacts $path
            $result.totalMs = $clock.ElapsedMilliseconds
            Remove-Item -LiteralPath $path -Force
            Out-Rep $result
        }
    }
    'Kill' {
        $m = New-CapnpMappedMessage -Path $File -Schema $schema -RootType Batch -Growth $Growth -Reserve 4GB -Force
        for ($n = 0; ; $n += 500) {
            ($n + 1)..($n + 500) | ForEach-Object { New-Record $_ "record $_" } | Add-CapnpStruct -Message $m
            $null = Save-CapnpMappedMessage -Message $m
            Out-Line "checkpoint $($n + 500)"
        }
    }
    'Truncate' {
        foreach ($flow in 'Add', 'Export') {
            $path = Join-Path $Directory "truncate-$flow.bin"
            $result = @{ flow = $flow }
            $m = $null
            try {
                if ($flow -eq 'Add') {
                    $m = New-CapnpMappedMessage -Path $path -Schema $schema -RootType Batch -Growth $Growth -Reserve 1GB
                    1..1000 | ForEach-Object { New-Record $_ "record $_" } | Add-CapnpStruct -Message $m
                    $null = Save-CapnpMappedMessage -Message $m
                    & truncate -s 4096 $path   # another process
                    1001..400000 | ForEach-Object { New-Record $_ "record $_" } | Add-CapnpStruct -Message $m
                }
                else {
                    1..400000 | ForEach-Object {
                        if ($_ -eq 5000) { & truncate -s 4096 $path }
                        New-Record $_ "record $_"
                    } | Export-CapnpMessage -Path $path -Schema $schema -RootType Batch -Growth $Growth -Reserve 1GB
                }
                $result.errorId = ''
            }
            catch {
                $result.errorId = $_.FullyQualifiedErrorId
                $result.message = "$_"
            }
            finally {
                if ($m) { $m.Dispose() }
            }
            $result.alive = (1..10 | Measure-Object -Sum).Sum -eq 55
            # What is left is reported, not fatal: a typed error or an answer.
            $info = Get-CapnpMessageInfo -LiteralPath $path -ErrorAction SilentlyContinue -ErrorVariable infoErrors
            $result.infoError = if ($infoErrors) { $infoErrors[0].FullyQualifiedErrorId } else { '' }
            $result.infoState = if ($info) { "$($info.State)" } else { '' }
            $result.infoRecords = if ($info) { $info.RecordCount } else { -1 }
            $result.infoTruncated = if ($info) { $info.IsTruncated } else { $null }
            $result.fileBytes = (Get-Item -LiteralPath $path).Length
            Out-Rep $result
        }
    }
    'Lock' {
        $result = @{}
        foreach ($attempt in 'New', 'Export', 'Repair', 'Resize') {
            try {
                switch ($attempt) {
                    'New' { $null = New-CapnpMappedMessage -Path $File -Schema $schema -RootType Batch -Force }
                    'Export' { New-Record 1 'intruder' | Export-CapnpMessage -Path $File -Schema $schema -RootType Batch -Force }
                    'Repair' { Repair-CapnpMappedMessage -LiteralPath $File -Confirm:$false -ErrorAction Stop }
                    'Resize' { Resize-CapnpMappedMessage -LiteralPath $File -Confirm:$false -ErrorAction Stop }
                }
                $result[$attempt] = 'no error'
            }
            catch {
                $result[$attempt] = $_.FullyQualifiedErrorId
                $result["${attempt}Message"] = "$_"
            }
        }
        Out-Rep $result
    }
}
Out-Line 'DONE'
