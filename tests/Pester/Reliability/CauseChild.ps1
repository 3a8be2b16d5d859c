<#
.SYNOPSIS
    The child pwsh of tests/Pester/FileErrorCauses.Tests.ps1: runs each named cmdlet once where the parent set up a
    cause (a read-only folder, a full or read-only file system, a file-size limit, dropped capabilities) and prints
    one JSON line per cmdlet ("REP {...}": its ErrorId, category and message, or none), then "DONE".
.PARAMETER Directory
    Where New-CapnpMappedMessage and Export-CapnpMessage create their files.
.PARAMETER Existing
    A message file for Import-CapnpMessage, Get-CapnpMessageInfo, Repair- and Resize-CapnpMappedMessage.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $SchemaPath,
    [Parameter(Mandatory)] [string] $Directory,
    [Parameter(Mandatory)] [string] $Existing,
    # Resize before Repair: the message has slack for Resize to cut, and Repair might cut it first.
    [string[]] $Cmdlet = @('New', 'Export', 'Import', 'Info', 'Resize', 'Repair'),
    [int] $Records = 40000
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModuleManifest
$schema = Import-CapnpSchema -LiteralPath $SchemaPath

function New-Record([int] $i) {
    [pscustomobject]@{ id = [uint64] $i; pid = $i; name = "record-$i-" + ('x' * 40); tags = @("t$i") }
}

foreach ($name in $Cmdlet) {
    $rep = @{ cmdlet = $name; errorId = ''; category = ''; message = '' }
    try {
        switch ($name) {
            'New' {
                $m = New-CapnpMappedMessage -Path (Join-Path $Directory 'new.bin') -Schema $schema -RootType Batch -Reserve 256MB -Force
                try { 1..$Records | ForEach-Object { New-Record $_ } | Add-CapnpStruct -Message $m } finally { $m.Dispose() }
            }
            'Export' { 1..$Records | ForEach-Object { New-Record $_ } | Export-CapnpMessage -Path (Join-Path $Directory 'export.bin') -Schema $schema -RootType Batch -Force }
            'Import' { $null = Import-CapnpMessage -LiteralPath $Existing -ErrorAction Stop | Measure-Object }
            'Info' { $null = Get-CapnpMessageInfo -LiteralPath $Existing -ErrorAction Stop }
            'Repair' { $null = Repair-CapnpMappedMessage -LiteralPath $Existing -Confirm:$false -ErrorAction Stop }
            'Resize' { $null = Resize-CapnpMappedMessage -LiteralPath $Existing -Confirm:$false -ErrorAction Stop }
        }
    }
    catch {
        $rep.errorId = ($_.FullyQualifiedErrorId -split ',')[0]
        $rep.category = "$($_.CategoryInfo.Category)"
        $rep.message = "$($_.Exception.Message)"
    }
    [Console]::Out.WriteLine('REP ' + ($rep | ConvertTo-Json -Compress))
}
[Console]::Out.WriteLine('DONE')
