#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks CapMap.

.DESCRIPTION
    Build  - compiles the PowerShell module (and Core, with its native part) and lays out an importable
             module folder in out/CapMap/.
    Test   - Build, then the xunit tests (TRX in out/test-results/) and the Pester tests (NUnit XML in
             out/test-results/pester.xml, run in a child pwsh). Ends with one line "N passed, N failed".
    Demo   - Build, then runs tools/Demo.ps1 in a child pwsh.
    Help   - Build, then regenerates the MAML help (src/CapMap.PowerShell/en-US/CapMap.PowerShell.dll-Help.xml) from
             tools/help/CapMap.HelpContent.ps1 with tools/New-CapMapHelp.ps1, and builds again so out/CapMap has it.
    Bench  - Build, then runs tools/Bench.ps1 in a child pwsh (fails if there are no benchmarks yet).
    Package - Build, then packs out/CapMap into out/package/CapMap.<version>.nupkg, the package PSResourceGet
             installs (Register-PSResourceRepository -Uri out/package; Install-PSResource CapMap).
    Clean  - removes out/ and every project's bin/ and obj/.

    Run it through the pinned local tool from the repository root:
        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test

.PARAMETER Task
    Build, Test, Demo, Help, Bench, Package or Clean.

.PARAMETER Configuration
    MSBuild configuration, Release by default.

.PARAMETER NoBuild
    Package only: pack out/CapMap as it is instead of building it first (the Pester package test uses this,
    after Test has built the folder).
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Help', 'Bench', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    [switch] $NoBuild
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# Exit codes are checked explicitly after every native command below; keep that the single mechanism.
$PSNativeCommandUseErrorActionPreference = $false
$ProgressPreference = 'SilentlyContinue'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleDir = Join-Path $OutDir 'CapMap'
$PublishDir = Join-Path $OutDir 'obj/publish'
$ResultsDir = Join-Path $OutDir 'test-results'
$PowerShellProject = Join-Path $Root 'src/CapMap.PowerShell/CapMap.PowerShell.csproj'
$UnitTestProject = Join-Path $Root 'tests/Unit/CapMap.Tests.Unit.csproj'
$PesterRestoreProject = Join-Path $Root 'tests/Pester/Pester.Restore.csproj'
$PesterTestsDir = Join-Path $Root 'tests/Pester'
$PackageDir = Join-Path $OutDir 'package'
$AboutTopic = Join-Path $Root 'src/CapMap.PowerShell/en-US/about_CapMap.help.txt'
# Only linux-x64 ships today; the native parts (capmap_native, MonoPosixHelper) are per-RID.
$Rid = 'linux-x64'

# Under `dotnet pwsh` the host process is dotnet itself; use the same one so the SDK matches.
$Dotnet = if ((Split-Path -Leaf ([Environment]::ProcessPath)) -in 'dotnet', 'dotnet.exe') { [Environment]::ProcessPath } else { 'dotnet' }

function Write-Step([string] $Message) {
    Write-Host "==> $Message"
}

# Runs a native command, streams its output to the console, and fails the build on a non-zero exit code
# unless -AllowFailure is given, in which case the exit code is returned for the caller to judge.
function Invoke-Native {
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [switch] $AllowFailure
    )
    Write-Host "> $FilePath $($ArgumentList -join ' ')"
    & $FilePath @ArgumentList | Out-Host
    $code = $LASTEXITCODE
    if ($AllowFailure) { return $code }
    if ($code -ne 0) { throw "'$(Split-Path -Leaf $FilePath) $($ArgumentList | Select-Object -First 1)' failed with exit code $code." }
}

# The command line that starts a fresh pwsh of the same version as this one. A local-tool pwsh runs as
# `dotnet <PSHOME>/pwsh.dll`; an installed pwsh is its own executable.
function Get-ChildPwsh {
    $process = [Environment]::ProcessPath
    if ((Split-Path -Leaf $process) -in 'dotnet', 'dotnet.exe') {
        return @{ FilePath = $process; Prefix = @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive') }
    }
    return @{ FilePath = $process; Prefix = @('-NoProfile', '-NonInteractive') }
}

# Child processes keep this session free of the built assemblies: a loaded binary module cannot be
# reloaded in-process, and the next build would otherwise test stale code.
function Invoke-ChildPwsh {
    param(
        [Parameter(Mandatory)] [string] $ScriptPath,
        [string[]] $ArgumentList = @(),
        [switch] $AllowFailure
    )
    $pwsh = Get-ChildPwsh
    Invoke-Native -FilePath $pwsh.FilePath -ArgumentList ($pwsh.Prefix + @('-File', $ScriptPath) + $ArgumentList) -AllowFailure:$AllowFailure
}

function Invoke-Build {
    Write-Step "Build ($Configuration)"
    Invoke-Native $Dotnet @('build', $PowerShellProject, '-c', $Configuration, '-r', $Rid, '--self-contained', 'false')

    # Publish (from the build just made) is what gathers the package dependencies: a class library's
    # bin/ has neither Mono.Posix.NETStandard.dll nor its native helper.
    if (Test-Path $PublishDir) { Remove-Item -Recurse -Force $PublishDir }
    Invoke-Native $Dotnet @('publish', $PowerShellProject, '--no-build', '-c', $Configuration, '-r', $Rid,
        '--self-contained', 'false', '-o', $PublishDir)

    Write-Step "Laying out $ModuleDir"
    if (Test-Path $ModuleDir) { Remove-Item -Recurse -Force $ModuleDir }
    $nativeDir = Join-Path $ModuleDir "runtimes/$Rid/native"
    New-Item -ItemType Directory -Force -Path $nativeDir | Out-Null

    Copy-Item (Join-Path $Root 'CapMap.psd1') $ModuleDir
    # The licence travels with the binaries, in the folder and so in the package.
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleDir
    foreach ($name in 'CapMap.PowerShell.dll', 'CapMap.Core.dll', 'Mono.Posix.NETStandard.dll', 'CapMap.format.ps1xml') {
        $source = Join-Path $PublishDir $name
        if (-not (Test-Path -LiteralPath $source)) { throw "Expected '$name' in the publish output $PublishDir, but it is missing." }
        Copy-Item -LiteralPath $source $ModuleDir
    }
    # Symbols make stack traces from the module point at source lines; they are small.
    Get-ChildItem -LiteralPath $PublishDir -Filter 'CapMap.*.pdb' | Copy-Item -Destination $ModuleDir

    # Mono.Posix.NETStandard 1.0.0 has no lib/ folder, only runtimes/<rid>/lib and runtimes/<rid>/native;
    # a RID-specific publish flattens both into the publish root. Put the helper back under runtimes/.
    $helper = Join-Path $PublishDir 'libMonoPosixHelper.so'
    if (-not (Test-Path -LiteralPath $helper)) { throw "libMonoPosixHelper.so is missing from $PublishDir." }
    Copy-Item -LiteralPath $helper $nativeDir

    # Core's native part (libcapmap_native.so, present once src/CapMap.Core/Native/capmap_native.c exists)
    # keeps its runtimes/<rid>/native/ link path through publish; take whatever is there for our RID.
    $publishedRuntimes = Join-Path $PublishDir "runtimes/$Rid"
    if (Test-Path -LiteralPath $publishedRuntimes) {
        Copy-Item -Path (Join-Path $publishedRuntimes '*') -Destination (Join-Path $ModuleDir "runtimes/$Rid") -Recurse -Force
    }

    $helpDir = New-Item -ItemType Directory -Force -Path (Join-Path $ModuleDir 'en-US')
    $helpSource = Join-Path $PublishDir 'en-US'
    if (Test-Path -LiteralPath $helpSource) {
        Get-ChildItem -LiteralPath $helpSource -Filter '*help*.xml' -File | Copy-Item -Destination $helpDir
    }
    # Conceptual help is plain text that Get-Help finds as <module dir>/en-US/about_*.help.txt.
    Copy-Item -LiteralPath $AboutTopic $helpDir

    # PowerShell brings its own System.Management.Automation; a shipped copy (the reference-only one from
    # PowerShellStandard.Library) would break every import.
    $sma = @(Get-ChildItem -LiteralPath $ModuleDir -Recurse -Filter 'System.Management.Automation.dll')
    if ($sma.Count -gt 0) { throw "System.Management.Automation.dll must not ship in the module: $($sma.FullName -join ', ')" }

    Write-Host "Module laid out in ${ModuleDir}:"
    Get-ChildItem -LiteralPath $ModuleDir -Recurse -File |
        ForEach-Object { '  ' + [IO.Path]::GetRelativePath($ModuleDir, $_.FullName) } | Out-Host
}

function Get-NuGetGlobalPackagesFolder {
    $lines = & $Dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0) { throw "'dotnet nuget locals global-packages --list' failed with exit code $LASTEXITCODE." }
    $line = @($lines | Where-Object { $_ -match '^\s*global-packages:\s*(.+?)\s*$' }) | Select-Object -First 1
    if (-not $line) { throw "Could not read the NuGet global packages folder from: $lines" }
    $null = $line -match '^\s*global-packages:\s*(.+?)\s*$'
    return $Matches[1]
}

# The Pester version is pinned once, in the restore project.
function Get-PesterVersion {
    [xml] $project = Get-Content -Raw -LiteralPath $PesterRestoreProject
    $item = @($project.SelectNodes('//PackageDownload[@Include="Pester"]')) | Select-Object -First 1
    if (-not $item) { throw "No PackageDownload for Pester in $PesterRestoreProject." }
    return $item.GetAttribute('Version').Trim('[', ']', ' ')
}

# Counts from the TRX file. Anything other than passed/skipped-style outcomes is a failure.
function Get-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content -Raw -LiteralPath $Path
    $c = $trx.TestRun.ResultSummary.Counters
    $failed = 0
    foreach ($attribute in 'failed', 'error', 'timeout', 'aborted') {
        $failed += [int] $c.GetAttribute($attribute)
    }
    return [pscustomobject]@{ Total = [int] $c.total; Passed = [int] $c.passed; Failed = $failed }
}

# Counts from Pester's NUnit 2.5 XML, by test case so that skipped and inconclusive ones are neither.
function Get-PesterCounts([string] $Path) {
    [xml] $xml = Get-Content -Raw -LiteralPath $Path
    $cases = @($xml.SelectNodes('//test-case'))
    return [pscustomobject]@{
        Total  = $cases.Count
        Passed = @($cases | Where-Object { $_.GetAttribute('result') -eq 'Success' }).Count
        Failed = @($cases | Where-Object { $_.GetAttribute('result') -in 'Failure', 'Error' }).Count
    }
}

function Invoke-Test {
    Invoke-Build

    if (Test-Path $ResultsDir) { Remove-Item -Recurse -Force $ResultsDir }
    New-Item -ItemType Directory -Force -Path $ResultsDir | Out-Null

    # --- xunit ---------------------------------------------------------------------------------------
    Write-Step 'Unit tests (xunit)'
    $trxName = 'unit.trx'
    $unitExit = Invoke-Native $Dotnet @('test', $UnitTestProject, '-c', $Configuration,
        '--results-directory', $ResultsDir,
        '--logger', "trx;LogFileName=$trxName",
        '--logger', 'console;verbosity=normal') -AllowFailure
    $trxPath = Join-Path $ResultsDir $trxName
    if (Test-Path -LiteralPath $trxPath) {
        $unit = Get-TrxCounts $trxPath
    }
    else {
        Write-Host "No TRX file at $trxPath (the test project probably did not build)."
        $unit = [pscustomobject]@{ Total = 0; Passed = 0; Failed = 0 }
    }
    if ($unitExit -ne 0 -and $unit.Failed -eq 0) {
        # dotnet test failed without a failed test (build error, crashed host): still a failure.
        Write-Host "dotnet test exited with code $unitExit without a failed test in the TRX; counting it as one failure."
        $unit.Failed = 1
    }
    if ($unit.Total -eq 0 -and $unitExit -eq 0) {
        Write-Host 'The unit test project has no tests yet.'
    }
    Write-Host "xunit: $($unit.Passed) passed, $($unit.Failed) failed (exit code $unitExit)"

    # --- Pester --------------------------------------------------------------------------------------
    Write-Step 'Pester tests'
    Invoke-Native $Dotnet @('restore', $PesterRestoreProject)
    $pesterVersion = Get-PesterVersion
    $pesterManifest = Join-Path (Get-NuGetGlobalPackagesFolder) "pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $pesterManifest)) { throw "Pester $pesterVersion was restored but $pesterManifest does not exist." }

    $pesterXml = Join-Path $ResultsDir 'pester.xml'
    $pesterExit = Invoke-ChildPwsh -ScriptPath (Join-Path $Root 'tools/Invoke-PesterTests.ps1') -ArgumentList @(
        '-PesterManifest', $pesterManifest,
        '-TestPath', $PesterTestsDir,
        '-OutputPath', $pesterXml,
        '-ModuleManifest', (Join-Path $ModuleDir 'CapMap.psd1')
        if ([Console]::IsOutputRedirected) { '-PlainOutput' }) -AllowFailure
    if (Test-Path -LiteralPath $pesterXml) {
        $pester = Get-PesterCounts $pesterXml
    }
    else {
        Write-Host "No Pester result file at $pesterXml."
        $pester = [pscustomobject]@{ Total = 0; Passed = 0; Failed = 0 }
    }
    if ($pesterExit -ne 0 -and $pester.Failed -eq 0) {
        # Run.Exit also fails the run for broken containers/blocks, which have no failed test case.
        Write-Host "Pester exited with code $pesterExit without a failed test case; counting it as one failure."
        $pester.Failed = 1
    }
    Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed (exit code $pesterExit)"

    $passed = $unit.Passed + $pester.Passed
    $failed = $unit.Failed + $pester.Failed
    Write-Host "$passed passed, $failed failed"
    if ($failed -ne 0 -or $unitExit -ne 0 -or $pesterExit -ne 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Write-Step 'Demo'
    Invoke-ChildPwsh -ScriptPath (Join-Path $Root 'tools/Demo.ps1')
}

function Invoke-Help {
    Invoke-Build
    Write-Step 'Help'
    Invoke-ChildPwsh -ScriptPath (Join-Path $Root 'tools/New-CapMapHelp.ps1') -ArgumentList @('-ModuleManifest', (Join-Path $ModuleDir 'CapMap.psd1'))
    Invoke-Build
}

function Invoke-Bench {
    $bench = Join-Path $Root 'tools/Bench.ps1'
    if (-not (Test-Path -LiteralPath $bench)) {
        throw "Benchmarks are not built yet: $([IO.Path]::GetRelativePath($Root, $bench)) does not exist."
    }
    Invoke-Build
    Write-Step 'Bench'
    Invoke-ChildPwsh -ScriptPath $bench
}

# PSResourceGet's Compress-PSResource builds the nupkg Install-PSResource expects (manifest and module files at
# the package root, a nuspec from the manifest) from the laid-out folder, offline and without registering a
# repository. It tags the nuspec with PSData.Tags and PSModule only; the gallery convention also lists every cmdlet
# (PSCmdlet_X, PSCommand_X, PSIncludes_Cmdlet), which `Find-PSResource -CommandName` searches, so those are added to
# the nuspec here rather than to the manifest's own tags.
function Invoke-Package {
    if ($NoBuild) {
        if (-not (Test-Path -LiteralPath (Join-Path $ModuleDir 'CapMap.psd1'))) { throw "-NoBuild: there is no module folder at $ModuleDir to pack; run -Task Build first." }
    }
    else {
        Invoke-Build
    }
    $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $ModuleDir 'CapMap.psd1')
    $version = $manifest.ModuleVersion
    $package = Join-Path $PackageDir "CapMap.$version.nupkg"

    Write-Step "Package $package"
    if (Test-Path $PackageDir) { Remove-Item -Recurse -Force $PackageDir }
    New-Item -ItemType Directory -Force -Path $PackageDir | Out-Null
    Microsoft.PowerShell.PSResourceGet\Compress-PSResource -Path $ModuleDir -DestinationPath $PackageDir
    if (-not (Test-Path -LiteralPath $package)) {
        throw "Compress-PSResource did not write $package; found: $(@(Get-ChildItem -LiteralPath $PackageDir -Name) -join ', ')"
    }
    Add-NuspecCommandTag -Package $package -Cmdlet $manifest.CmdletsToExport

    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [IO.Compression.ZipFile]::OpenRead($package)
    try {
        $entries = @($zip.Entries | Where-Object { $_.FullName -notmatch '^(_rels/|package/|\[Content_Types\]\.xml$)' } |
            Sort-Object FullName)
        Write-Host "$([IO.Path]::GetRelativePath($Root, $package)): $((Get-Item -LiteralPath $package).Length) bytes, $($entries.Count) files:"
        $entries | ForEach-Object { '  {0,9}  {1}' -f $_.Length, $_.FullName } | Out-Host
    }
    finally {
        $zip.Dispose()
    }
}

function Add-NuspecCommandTag {
    param([Parameter(Mandatory)] [string] $Package, [Parameter(Mandatory)] [string[]] $Cmdlet)
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [IO.Compression.ZipFile]::Open($Package, [IO.Compression.ZipArchiveMode]::Update)
    try {
        $entry = @($zip.Entries | Where-Object { $_.FullName -notmatch '/' -and $_.Name -like '*.nuspec' })
        if ($entry.Count -ne 1) { throw "Expected one .nuspec at the root of $Package, found $($entry.Count)." }
        $reader = [IO.StreamReader]::new($entry[0].Open())
        try { [xml] $nuspec = $reader.ReadToEnd() } finally { $reader.Dispose() }

        $tags = $nuspec.package.metadata['tags']
        if ($null -eq $tags) { throw "The nuspec in $Package has no <tags> element." }
        $words = [Collections.Generic.List[string]]::new([string[]] @($tags.InnerText -split '\s+' | Where-Object { $_ }))
        foreach ($name in $Cmdlet) { $words.Add("PSCmdlet_$name"); $words.Add("PSCommand_$name") }
        $words.Add('PSIncludes_Cmdlet')
        $tags.InnerText = ($words | Select-Object -Unique) -join ' '

        $name = $entry[0].FullName
        $entry[0].Delete()
        $writer = [IO.StreamWriter]::new($zip.CreateEntry($name).Open(), [Text.UTF8Encoding]::new($false))
        try { $nuspec.Save($writer) } finally { $writer.Dispose() }
    }
    finally {
        $zip.Dispose()
    }
}

function Invoke-Clean {
    Write-Step 'Clean'
    if (Test-Path $OutDir) { Remove-Item -Recurse -Force $OutDir }
    foreach ($parent in 'src', 'tests') {
        Get-ChildItem -Path (Join-Path $Root $parent) -Directory | ForEach-Object {
            foreach ($leaf in 'bin', 'obj') {
                $dir = Join-Path $_.FullName $leaf
                if (Test-Path -LiteralPath $dir) {
                    Write-Host "removing $([IO.Path]::GetRelativePath($Root, $dir))"
                    Remove-Item -LiteralPath $dir -Recurse -Force
                }
            }
        }
    }
}

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Help' { Invoke-Help }
        'Bench' { Invoke-Bench }
        'Package' { Invoke-Package }
        'Clean' { Invoke-Clean }
    }
}
finally {
    Pop-Location
}
