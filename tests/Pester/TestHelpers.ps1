# Shared by the cmdlet tests: dot-source in BeforeAll. Imports the built module (CAPMAP_MODULE_MANIFEST, set by
# build.ps1, or out/CapMap) and defines helpers that use the reference capnp tool as the oracle.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
$script:ModuleManifest = if ($env:CAPMAP_MODULE_MANIFEST) { $env:CAPMAP_MODULE_MANIFEST } else { Join-Path $RepoRoot 'out/CapMap/CapMap.psd1' }
if (-not (Test-Path -LiteralPath $ModuleManifest)) { throw "Built module not found at '$ModuleManifest'. Run ./build.ps1 -Task Build first." }
Import-Module -Name $ModuleManifest -Force -ErrorAction Stop

$script:SchemaPath = Join-Path $PSScriptRoot 'TestData/ops.capnp'
$script:Schema = Import-CapnpSchema -LiteralPath $SchemaPath

# Decodes a message file with `capnp convert binary:json` (the reader we did not write) into objects.
function ConvertFrom-CapnpFile {
    param([Parameter(Mandatory)] [string] $File, [string] $Type = 'Batch', [string] $SchemaFile = $script:SchemaPath)
    $lines = & bash -c 'capnp convert binary:json "$0" "$1" < "$2"' $SchemaFile $Type $File
    if ($LASTEXITCODE -ne 0) { throw "capnp convert failed on '$File' (exit code $LASTEXITCODE)." }
    ($lines -join "`n") | ConvertFrom-Json -NoEnumerate
}

# A record for the ops.capnp Record struct; $i picks the values deterministically.
function New-TestRecord {
    param([int] $i)
    $record = [ordered]@{
        id       = [uint64] (1000 + $i)
        pid      = $i
        cpu      = $i * 0.5
        ratio    = [single] 0.25
        priority = $i % 200
        name     = "proc-$i"
        severity = @('debug', 'info', 'warning', 'error', 'critical')[$i % 5]
        payload  = [byte[]] @(($i % 256), 1, 2)
        tags     = @("t$i", 'ops')
        host     = [pscustomobject]@{ name = "host$($i % 7)"; port = 8000 + ($i % 100) }
        location = @{ region = 'eu-west'; rack = $i % 40 }
        ok       = ($i % 2) -eq 0
    }
    if ($i % 3 -eq 0) { $record.exitCode = -$i } elseif ($i % 3 -eq 1) { $record.message = "msg $i" } else { $record.none = $true }
    [pscustomobject] $record
}

function Get-Bytes([string] $File) { [IO.File]::ReadAllBytes($File) }

# Runs a script in a child pwsh (this pwsh, under `bash -c "<ShellPrefix>; exec <Wrapper> pwsh ..."`) to its end:
# exit code and output. For faults a test must not cause in its own process (limits, dropped capabilities, signals).
function Invoke-ChildPwsh {
    param([Parameter(Mandatory)] [string] $Script, [string[]] $Arguments = @(), [string] $ShellPrefix = 'true', [string] $Wrapper = '',
        [int] $TimeoutSeconds = 300)
    $pwsh = [Environment]::ProcessPath
    $prefix = @(if ((Split-Path -Leaf $pwsh) -in 'dotnet', 'dotnet.exe') { Join-Path $PSHOME 'pwsh.dll' })
    $info = [Diagnostics.ProcessStartInfo]::new('bash')
    $info.ArgumentList.Add('-c')
    $info.ArgumentList.Add("$ShellPrefix; exec $Wrapper `"`$0`" `"`$@`"")
    foreach ($a in @($pwsh) + $prefix + @('-NoProfile', '-NonInteractive', '-File', $Script) + $Arguments) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) { $process.Kill($true); throw "The child did not finish in $TimeoutSeconds s: $($stderr.Result)" }
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
}

# True if the file still starts with the bytes $Before (an append wrote only after them). SequenceEqual: comparing
# with Should -Be would take the bytes one pipeline item at a time.
function Test-FileStartsWith([string] $File, [byte[]] $Before) {
    $after = [IO.File]::ReadAllBytes($File)
    $after.Length -ge $Before.Length -and [Linq.Enumerable]::SequenceEqual([byte[]]$after[0..($Before.Length - 1)], $Before)
}
