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
    Fuzz   - coverage-guided fuzzing (SharpFuzz + AFL++) of the reader, the framing and the schema loader
             (tests/Fuzz) for -Seconds in all, from the committed corpus. Fails on a finding, which is saved
             under out/fuzz/findings/ named for tests/Unit/Reliability/Regressions. Test runs a short round.
    Clean  - removes out/ and every project's bin/ and obj/.

    Run it through the pinned local tool from the repository root:
        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test

.PARAMETER Task
    Build, Test, Demo, Help, Bench, Fuzz, Package or Clean.

.PARAMETER Configuration
    MSBuild configuration, Release by default.

.PARAMETER NoBuild
    Package only: pack out/CapMap as it is instead of building it first (the Pester package test uses this,
    after Test has built the folder).

.PARAMETER Seconds
    Fuzz only: total fuzzing time, shared equally by the three targets (600 by default).
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Help', 'Bench', 'Fuzz', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    [switch] $NoBuild,

    [ValidateRange(3, 86400)]
    [int] $Seconds = 600
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
$FuzzProject = Join-Path $Root 'tests/Fuzz/CapMap.Fuzz.csproj'
$FuzzCorpusDir = Join-Path $Root 'tests/Fuzz/Corpus'
$RegressionsDir = Join-Path $Root 'tests/Unit/Reliability/Regressions'
$FuzzDir = Join-Path $OutDir 'fuzz'
# The Test task's fuzzing round over the committed corpus: short, so that the suite stays quick.
$CiFuzzSeconds = 60
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
    # Publish also compiles the assemblies ReadyToRun (see the project file), against this pwsh's own PowerShell.
    Invoke-Native $Dotnet @('publish', $PowerShellProject, '--no-build', '-c', $Configuration, '-r', $Rid,
        '--self-contained', 'false', '-o', $PublishDir, "-p:PowerShellHome=$PSHOME")

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

# Test names that `dotnet test --list-tests` prints (one per line, indented by four spaces, after the
# "The following Tests are available:" line). A data row that cannot be enumerated at discovery is listed once
# under its method's name and runs as several results "Name(args)".
function Get-DiscoveredUnitTests {
    $lines = & $Dotnet test $UnitTestProject -c $Configuration --list-tests
    $code = $LASTEXITCODE
    $lines | Where-Object { $_ -notmatch '^    ' } | Out-Host
    if ($code -ne 0) { throw "'dotnet test --list-tests' failed with exit code $code." }
    $listing = $false
    $names = foreach ($line in $lines) {
        if ($line -match '^The following Tests are available:') { $listing = $true; continue }
        if ($listing -and $line -match '^    (\S.*)$') { $Matches[1].Trim() }
    }
    return @($names)
}

# Counts from the TRX file: results by outcome, and which discovered tests have no result at all (a crashed
# or aborted test host leaves them out; the TRX counters alone would hide them).
function Get-TrxCounts([string] $Path, [string[]] $Discovered) {
    [xml] $trx = Get-Content -Raw -LiteralPath $Path
    $results = @($trx.TestRun.Results.ChildNodes | Where-Object { $_.LocalName -eq 'UnitTestResult' })
    $passed = @($results | Where-Object { $_.outcome -eq 'Passed' }).Count
    $skipped = @($results | Where-Object { $_.outcome -eq 'NotExecuted' }).Count
    $failed = $results.Count - $passed - $skipped
    $ran = [Collections.Generic.Dictionary[string, int]]::new()
    foreach ($result in $results) { $ran[$result.testName] = 1 + $(if ($ran.ContainsKey($result.testName)) { $ran[$result.testName] } else { 0 }) }
    $rowPrefixes = [Collections.Generic.HashSet[string]]::new()
    foreach ($name in $ran.Keys) { $at = $name.IndexOf('('); if ($at -gt 0) { $null = $rowPrefixes.Add($name.Substring(0, $at)) } }
    $notRun = @(foreach ($name in $Discovered) {
        if ($ran.ContainsKey($name) -and $ran[$name] -gt 0) { $ran[$name]--; continue }
        if ($rowPrefixes.Contains($name)) { continue }
        $name
    })
    return [pscustomobject]@{
        Discovered = $Discovered.Count; Executed = $passed + $failed
        Passed = $passed; Failed = $failed; Skipped = $skipped; NotRun = $notRun
    }
}

# Counts from Pester's NUnit 2.5 XML by test case: Success passed, Failure/Error failed, anything else
# (Ignored, Inconclusive, Skipped) skipped. Tests discovered but absent from the XML did not run.
function Get-PesterCounts([string] $Path, [int] $Discovered) {
    $cases = @()
    if (Test-Path -LiteralPath $Path) {
        [xml] $xml = Get-Content -Raw -LiteralPath $Path
        $cases = @($xml.SelectNodes('//test-case'))
    }
    $passed = @($cases | Where-Object { $_.GetAttribute('result') -eq 'Success' }).Count
    $failed = @($cases | Where-Object { $_.GetAttribute('result') -in 'Failure', 'Error' }).Count
    $skipped = $cases.Count - $passed - $failed
    return [pscustomobject]@{
        Discovered = $Discovered; Executed = $passed + $failed
        Passed = $passed; Failed = $failed; Skipped = $skipped; NotRun = [Math]::Max(0, $Discovered - $cases.Count)
    }
}

function Invoke-Test {
    Invoke-Build

    if (Test-Path $ResultsDir) { Remove-Item -Recurse -Force $ResultsDir }
    New-Item -ItemType Directory -Force -Path $ResultsDir | Out-Null

    # --- xunit ---------------------------------------------------------------------------------------
    Write-Step 'Unit tests (xunit): discovery'
    # Builds the test project too; the run below then uses --no-build.
    $discoveredUnit = Get-DiscoveredUnitTests
    Write-Host "xunit discovered $($discoveredUnit.Count) tests."
    Write-Step 'Unit tests (xunit)'
    $trxName = 'unit.trx'
    $unitExit = Invoke-Native $Dotnet @('test', $UnitTestProject, '-c', $Configuration, '--no-build',
        '--results-directory', $ResultsDir,
        '--logger', "trx;LogFileName=$trxName",
        '--logger', 'console;verbosity=normal') -AllowFailure
    $trxPath = Join-Path $ResultsDir $trxName
    if (Test-Path -LiteralPath $trxPath) {
        $unit = Get-TrxCounts $trxPath $discoveredUnit
    }
    else {
        Write-Host "No TRX file at $trxPath (the test host probably did not start)."
        $unit = [pscustomobject]@{ Discovered = $discoveredUnit.Count; Executed = 0; Passed = 0; Failed = 0; Skipped = 0; NotRun = $discoveredUnit }
    }
    $unitNotRun = @($unit.NotRun).Count
    if ($unitNotRun -gt 0) {
        Write-Host "xunit: $unitNotRun discovered tests did not run (crashed or aborted test host), for example:"
        $unit.NotRun | Select-Object -First 10 | ForEach-Object { Write-Host "  $_" }
    }
    if ($unitExit -ne 0 -and $unit.Failed -eq 0 -and $unitNotRun -eq 0) {
        # dotnet test failed without a failed or missing test (e.g. a crash after the last test): still a failure.
        Write-Host "dotnet test exited with code $unitExit without a failed test in the TRX; counting it as one failure."
        $unit.Failed = 1
    }
    if ($unit.Discovered -eq 0) { throw 'xunit discovered no tests.' }
    Write-Host "xunit: $($unit.Passed) passed, $($unit.Failed) failed, $($unit.Skipped) skipped, $unitNotRun not run (exit code $unitExit)"

    # --- Pester --------------------------------------------------------------------------------------
    Write-Step 'Pester tests'
    Invoke-Native $Dotnet @('restore', $PesterRestoreProject)
    $pesterVersion = Get-PesterVersion
    $pesterManifest = Join-Path (Get-NuGetGlobalPackagesFolder) "pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $pesterManifest)) { throw "Pester $pesterVersion was restored but $pesterManifest does not exist." }

    $pesterXml = Join-Path $ResultsDir 'pester.xml'
    $pesterDiscovery = Join-Path $ResultsDir 'pester-discovered.txt'
    $pesterExit = Invoke-ChildPwsh -ScriptPath (Join-Path $Root 'tools/Invoke-PesterTests.ps1') -ArgumentList @(
        '-PesterManifest', $pesterManifest,
        '-TestPath', $PesterTestsDir,
        '-OutputPath', $pesterXml,
        '-DiscoveryPath', $pesterDiscovery,
        '-ModuleManifest', (Join-Path $ModuleDir 'CapMap.psd1')
        if ([Console]::IsOutputRedirected) { '-PlainOutput' }) -AllowFailure
    if (-not (Test-Path -LiteralPath $pesterDiscovery)) { throw "Pester's discovery pass wrote no count to $pesterDiscovery (exit code $pesterExit)." }
    $pester = Get-PesterCounts $pesterXml ([int] (Get-Content -Raw -LiteralPath $pesterDiscovery))
    if (-not (Test-Path -LiteralPath $pesterXml)) { Write-Host "No Pester result file at $pesterXml (the Pester host died)." }
    if ($pester.NotRun -gt 0) { Write-Host "Pester: $($pester.NotRun) discovered tests did not run (crashed host or a broken block)." }
    if ($pesterExit -ne 0 -and $pester.Failed -eq 0 -and $pester.NotRun -eq 0) {
        # Run.Exit also fails the run for broken containers/blocks, which have no failed test case.
        Write-Host "Pester exited with code $pesterExit without a failed test case; counting it as one failure."
        $pester.Failed = 1
    }
    if ($pester.Discovered -eq 0) { throw 'Pester discovered no tests.' }
    Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped, $($pester.NotRun) not run (exit code $pesterExit)"

    # --- Fuzzing: a short round over the committed corpus ------------------------------------------------
    $fuzz = Invoke-FuzzRound -Seconds $CiFuzzSeconds

    # Tests that were discovered and never ran count as failed: they may hide anything.
    $passed = $unit.Passed + $pester.Passed
    $failed = $unit.Failed + $pester.Failed + $unitNotRun + $pester.NotRun + $fuzz.Findings
    $skipped = $unit.Skipped + $pester.Skipped
    Write-Host ("xunit: $($unit.Discovered) discovered, $($unit.Executed) executed, $unitNotRun not run; " +
        "pester: $($pester.Discovered) discovered, $($pester.Executed) executed, $($pester.NotRun) not run; " +
        "fuzz: $($fuzz.Executions) executions, $($fuzz.Edges) edges, $($fuzz.Findings) findings")
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -ne 0 -or $unitExit -ne 0 -or $pesterExit -ne 0) { exit 1 }
}

# --- Fuzzing -------------------------------------------------------------------------------------------

# Seeds of one target: its committed corpus folder plus the regression files it reads (messages for the
# reader and the framing, CodeGeneratorRequests named schema__* for the schema loader, which also starts from
# the unit tests' compiled schema).
function Get-FuzzSeeds([string] $Target) {
    $corpus = if ($Target -eq 'schema') { 'schema' } else { 'reader' }
    $seeds = @(Get-ChildItem -LiteralPath (Join-Path $FuzzCorpusDir $corpus) -File)
    if ($Target -eq 'schema') { $seeds += @(Get-ChildItem -LiteralPath (Join-Path $Root 'tests/Unit/Schemas') -Filter '*.bin' -File) }
    $seeds += @(Get-ChildItem -LiteralPath $RegressionsDir -Filter '*.bin' -File |
        Where-Object { ($_.Name -like 'schema__*') -eq ($Target -eq 'schema') })
    return $seeds
}

# AFL++'s fuzzer_stats file as a hashtable.
function Read-FuzzerStats([string] $Path) {
    $stats = @{}
    foreach ($line in Get-Content -LiteralPath $Path) {
        if ($line -match '^\s*(\w+)\s*:\s*(.*?)\s*$') { $stats[$Matches[1]] = $Matches[2] }
    }
    return $stats
}

# Builds the fuzz program twice over: plain (replays findings) and with CapMap.Core instrumented by sharpfuzz
# (what afl-fuzz runs). Then fuzzes each target for an equal share of -Seconds. A crash (an exception other
# than the target's typed one, or a dead process) or a hang that replays as one is a finding: saved as
# out/fuzz/findings/<target>__<hash>.bin, ready to become a regression file.
function Invoke-FuzzRound([int] $Seconds) {
    Write-Step "Fuzzing (SharpFuzz + AFL++), $Seconds s"
    $afl = Get-Command afl-fuzz -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $afl) { throw "afl-fuzz is not installed (Debian package afl++; .ci/run installs it)." }
    if (Test-Path $FuzzDir) { Remove-Item -Recurse -Force $FuzzDir }
    $plain = Join-Path $FuzzDir 'bin'
    $instrumented = Join-Path $FuzzDir 'instrumented'
    Invoke-Native $Dotnet @('build', $FuzzProject, '-c', $Configuration, '-o', $plain)
    Copy-Item -Recurse -LiteralPath $plain -Destination $instrumented
    Invoke-Native $Dotnet @('tool', 'run', 'sharpfuzz', (Join-Path $instrumented 'CapMap.Core.dll'))
    $findingsDir = New-Item -ItemType Directory -Force -Path (Join-Path $FuzzDir 'findings')

    # Not an instrumented binary (dotnet runs the instrumented assembly), no core dumps wanted, shared CPUs.
    $aflEnvironment = @{
        AFL_SKIP_BIN_CHECK = '1'; AFL_NO_UI = '1'; AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES = '1'
        AFL_SKIP_CPUFREQ = '1'; AFL_NO_AFFINITY = '1'
    }
    $saved = @{}
    foreach ($name in $aflEnvironment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $aflEnvironment[$name]) }
    $targets = 'reader', 'framing', 'schema'
    $share = [Math]::Max(1, [Math]::Floor($Seconds / $targets.Count))
    $executions = 0L; $edges = 0L; $findings = 0
    try {
        foreach ($target in $targets) {
            $work = Join-Path $FuzzDir $target
            $in = New-Item -ItemType Directory -Force -Path (Join-Path $work 'in')
            Get-FuzzSeeds $target | Copy-Item -Destination $in
            $out = Join-Path $work 'out'
            $log = Join-Path $work 'afl.log'
            Write-Host "> afl-fuzz $target for $share s (log: $([IO.Path]::GetRelativePath($Root, $log)))"
            & $afl.Source -i $in -o $out -t 5000 -m none -V $share -- $Dotnet (Join-Path $instrumented 'CapMap.Fuzz.dll') $target *> $log
            $code = $LASTEXITCODE
            $statsPath = Join-Path $out 'default/fuzzer_stats'
            if ($code -ne 0 -or -not (Test-Path -LiteralPath $statsPath)) {
                Get-Content -LiteralPath $log -Tail 30 | Out-Host
                throw "afl-fuzz for '$target' failed with exit code $code."
            }
            $stats = Read-FuzzerStats $statsPath
            $executions += [long] $stats.execs_done
            $edges += [long] $stats.edges_found
            $targetFindings = 0
            foreach ($kind in 'crashes', 'hangs') {
                foreach ($case in @(Get-ChildItem -LiteralPath (Join-Path $out "default/$kind") -Filter 'id:*' -File -ErrorAction SilentlyContinue)) {
                    $hash = (Get-FileHash -LiteralPath $case.FullName -Algorithm SHA1).Hash.Substring(0, 16).ToLowerInvariant()
                    $finding = Join-Path $findingsDir "${target}__$hash.bin"
                    Copy-Item -LiteralPath $case.FullName -Destination $finding
                    $watch = [Diagnostics.Stopwatch]::StartNew()
                    $replay = & $Dotnet (Join-Path $plain 'CapMap.Fuzz.dll') $target --replay $finding 2>&1
                    $replayExit = $LASTEXITCODE
                    $watch.Stop()
                    if ($kind -eq 'hangs' -and $replayExit -eq 0 -and $watch.Elapsed.TotalSeconds -lt 5) {
                        # A case that timed out on a loaded machine but replays quickly and cleanly is no hang.
                        Write-Host "fuzz: $target hang candidate $($case.Name) replays in $([int]$watch.Elapsed.TotalMilliseconds) ms without error: not counted."
                        Remove-Item -LiteralPath $finding
                        continue
                    }
                    $targetFindings++
                    Write-Host "fuzz: FINDING ($kind) in $target, saved as $([IO.Path]::GetRelativePath($Root, $finding)):"
                    $replay | Select-Object -First 40 | Out-Host
                }
            }
            $findings += $targetFindings
            Write-Host "fuzz: $target - $($stats.execs_done) executions, $($stats.edges_found) edges, corpus $($stats.corpus_count), $targetFindings findings"
        }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
    return [pscustomobject]@{ Executions = $executions; Edges = $edges; Findings = $findings }
}

function Invoke-Fuzz {
    $fuzz = Invoke-FuzzRound -Seconds $Seconds
    Write-Host "fuzz: $($fuzz.Executions) executions, $($fuzz.Edges) edges (summed over the targets), $($fuzz.Findings) findings"
    if ($fuzz.Findings -ne 0) {
        Write-Host "Copy each finding to tests/Unit/Reliability/Regressions once the bug it shows is fixed."
        exit 1
    }
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
        'Fuzz' { Invoke-Fuzz }
        'Clean' { Invoke-Clean }
    }
}
finally {
    Pop-Location
}
