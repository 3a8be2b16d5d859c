#Requires -Version 7.4
<#
.SYNOPSIS
    The child pwsh of tests/Pester/Package.Tests.ps1, started with a temporary HOME and a PATH without build
    tools: installs CapMap from a local folder repository with PSResourceGet, imports it by name, runs every
    cmdlet, and writes what it saw to -ResultPath as JSON (Completed = $true only if it got to the end). The
    parent asserts on that file.
.PARAMETER Repository
    A folder holding CapMap.<version>.nupkg.
.PARAMETER WorkDirectory
    Where the message files go.
.PARAMETER PrecompiledSchema
    tests/Pester/TestData/ops.capnp compiled by Import-CapnpSchema -SavePrecompiled, so capnp is not needed here.
#>
param(
    [Parameter(Mandatory)] [string] $Repository,
    [Parameter(Mandatory)] [string] $WorkDirectory,
    [Parameter(Mandatory)] [string] $PrecompiledSchema,
    [Parameter(Mandatory)] [string] $ResultPath
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$result = [ordered]@{ Completed = $false }
function Save-Result { $result | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath $ResultPath }

try {
    $result.Home = $HOME
    $result.BuildTools = @(Get-Command gcc, cc, capnp, node, npm -CommandType Application -ErrorAction SilentlyContinue |
        ForEach-Object Source)

    # --- install, as the README says -------------------------------------------------------------------
    Register-PSResourceRepository -Name local -Uri $Repository -Trusted
    Install-PSResource CapMap -Repository local
    $result.InstalledVersion = "$((Get-InstalledPSResource CapMap).Version)"
    $found = Find-PSResource CapMap -Repository local
    $result.Found = [ordered]@{ Name = $found.Name; Version = "$($found.Version)"; ProjectUri = "$($found.ProjectUri)"; Description = $found.Description }

    Import-Module CapMap
    $module = Get-Module CapMap
    $result.ModuleBase = $module.ModuleBase
    $result.ModuleVersion = "$($module.Version)"
    $result.Commands = @(Get-Command -Module CapMap | ForEach-Object Name)
    $result.AboutFirstLine = @(Get-Help about_CapMap | Out-String -Stream | Where-Object { $_.Trim() }) | Select-Object -First 2 | Out-String

    # --- Test-CapMapPlatform, Import-CapnpSchema ---------------------------------------------------------
    $result.PlatformSupported = Test-CapMapPlatform -Path $WorkDirectory -Quiet
    $schema = Import-CapnpSchema -LiteralPath $PrecompiledSchema
    $result.SchemaSource = "$($schema.Source)"
    $result.SchemaStructs = @($schema.Structs | ForEach-Object { ($_ -split '\.')[-1] })

    # --- New-, Add-, Save-, Complete-CapnpMappedMessage --------------------------------------------------
    $built = Join-Path $WorkDirectory 'built.bin'
    $message = New-CapnpMappedMessage -Path $built -Schema $schema -RootType Batch -Property @{ source = 'steps' }
    1..3 | ForEach-Object { [pscustomobject]@{ id = $_; name = "r$_"; severity = 'info' } } | Add-CapnpStruct -Message $message
    Save-CapnpMappedMessage $message
    4..5 | ForEach-Object { [pscustomobject]@{ id = $_; name = "r$_"; severity = 'debug' } } | Add-CapnpStruct -Message $message
    $summary = Complete-CapnpMappedMessage $message
    $info = Get-CapnpMessageInfo -LiteralPath $built
    $result.Built = [ordered]@{
        RecordCount = $summary.RecordCount
        State       = "$($info.State)"
        Names       = @(Import-CapnpMessage -LiteralPath $built -Schema $schema -RootType Batch | ForEach-Object name)
    }

    # --- Export-CapnpMessage, Import-CapnpMessage, Get-CapnpMessageInfo ----------------------------------
    $exported = Join-Path $WorkDirectory 'exported.bin'
    @(
        [pscustomobject]@{ id = 11; name = 'a'; severity = 'info'; host = @{ name = 'h1'; port = 80 } }
        [pscustomobject]@{ id = 12; name = 'b'; severity = 'warning'; tags = @('x', 'y') }
        [pscustomobject]@{ id = 13; name = 'c'; severity = 'error'; exitCode = 2 }
    ) | Export-CapnpMessage -Path $exported -Schema $schema -RootType Batch -Property @{ source = 'package test' }
    $back = @(Import-CapnpMessage -LiteralPath $exported -Schema $schema -RootType Batch)
    $result.Exported = [ordered]@{
        RecordCount = (Get-CapnpMessageInfo -LiteralPath $exported).RecordCount
        Ids         = @($back | ForEach-Object { [long] $_.id })
        Severities  = @($back | ForEach-Object { "$($_.severity)" })
        HostName    = $back[0].host.name
        Tags        = @($back[1].tags)
    }

    # --- Export/Import with no schema anywhere: the schema is inferred and carried by the file -----------
    $inferred = Join-Path $WorkDirectory 'inferred.bin'
    $started = [datetime]::new(2026, 12, 1, 10, 30, 0, [DateTimeKind]::Utc)
    @(
        [pscustomobject]@{ Name = 'alpha'; Count = 1; Started = $started; Id = [guid]'6f9619ff-8b86-d011-b42d-00cf4fc964ff' }
        [pscustomobject]@{ Name = 'beta'; Count = 2; Started = $started.AddHours(1); Id = [guid]::Empty }
    ) | Export-CapnpMessage -Path $inferred
    $inferredBack = @(Import-CapnpMessage -LiteralPath $inferred)
    $result.Inferred = [ordered]@{
        RecordCount = (Get-CapnpMessageInfo -LiteralPath $inferred).RecordCount
        Names       = @($inferredBack | ForEach-Object { $_.Name })
        Counts      = @($inferredBack | ForEach-Object { $_.Count })
        StartedType = $inferredBack[0].Started.GetType().FullName
        # Ticks, not text: the result travels as JSON, which would turn an ISO string back into a DateTime.
        StartedTicks = $inferredBack[1].Started.ToUniversalTime().Ticks
        IdType      = $inferredBack[0].Id.GetType().FullName
        SchemaText  = (Get-CapnpSchema -LiteralPath $inferred -AsText) -join "`n"
    }

    # --- ConvertTo-CapnpSchema, and the session's open messages (Get-/Close-CapnpMappedMessage) -------------
    $result.Converted = (ConvertTo-CapnpSchema -InputObject ([pscustomobject]@{ Host = 'h'; Port = 443 }) -AsText) -join "`n"
    $open = New-CapnpMappedMessage -Path (Join-Path $WorkDirectory 'open.bin') -Schema $schema -RootType Batch
    @{ id = 1 } | Add-CapnpStruct -Message $open
    $listed = @(Get-CapnpMappedMessage | Where-Object Path -eq $open.Path)
    Close-CapnpMappedMessage -Message $open -Confirm:$false
    $result.OpenMessages = [ordered]@{
        Listed      = $listed.Count
        StateClosed = "$((Get-CapnpMessageInfo -LiteralPath $open.Path).State)"
        AfterClose  = @(Get-CapnpMappedMessage | Where-Object Path -eq $open.Path).Count
    }

    # --- Repair-CapnpMappedMessage after a killed writer ------------------------------------------------
    $crashed = Join-Path $WorkDirectory 'crashed.bin'
    $writer = Join-Path $WorkDirectory 'killed-writer.ps1'
    Set-Content -LiteralPath $writer -Value @'
param([string] $File, [string] $Schema)
Import-Module CapMap
$m = New-CapnpMappedMessage -Path $File -Schema $Schema -RootType Batch
1..3 | ForEach-Object { @{ id = $_ } } | Add-CapnpStruct -Message $m
Save-CapnpMappedMessage $m
4..9 | ForEach-Object { @{ id = $_ } } | Add-CapnpStruct -Message $m
Stop-Process -Id $PID -Force   # SIGKILL: no dispose, no final checkpoint
'@
    $pwshArgs = @(if ((Split-Path -Leaf ([Environment]::ProcessPath)) -in 'dotnet', 'dotnet.exe') { Join-Path $PSHOME 'pwsh.dll' })
    & ([Environment]::ProcessPath) @pwshArgs -NoProfile -NonInteractive -File $writer -File $crashed -Schema $PrecompiledSchema | Out-Null
    $killedExit = $LASTEXITCODE
    $stateBefore = "$((Get-CapnpMessageInfo -LiteralPath $crashed).State)"
    $repair = Repair-CapnpMappedMessage -LiteralPath $crashed -Confirm:$false
    $result.Repaired = [ordered]@{
        KilledExitCode = $killedExit
        StateBefore    = $stateBefore
        RecordCount    = $repair.RecordCount
        ImportedCount  = @(Import-CapnpMessage -LiteralPath $crashed -Schema $schema -RootType Batch).Count
    }

    # --- Resize-CapnpMappedMessage: slack after a complete message ---------------------------------------
    $lengthBefore = (Get-Item -LiteralPath $exported).Length
    $stream = [IO.File]::Open($exported, [IO.FileMode]::Open)
    try { $stream.SetLength($lengthBefore + 65536) } finally { $stream.Dispose() }
    $resize = Resize-CapnpMappedMessage -LiteralPath $exported -Confirm:$false
    $result.Resized = [ordered]@{
        BytesRemoved = $resize.BytesRemoved
        LengthBefore = $lengthBefore
        LengthAfter  = (Get-Item -LiteralPath $exported).Length
        SlackAfter   = (Get-CapnpMessageInfo -LiteralPath $exported).SlackBytes
    }

    $result.Completed = $true
}
catch {
    $result.Error = "$_`n$($_.ScriptStackTrace)"
    Write-Error -ErrorRecord $_ -ErrorAction Continue
}
finally {
    Save-Result
}
if (-not $result.Completed) { exit 1 }
