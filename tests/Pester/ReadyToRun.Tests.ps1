#Requires -Version 7.4
# The module starts fast: its assemblies ship precompiled (ReadyToRun) for the runtime of the pinned PowerShell, and
# that PowerShell runs the precompiled code instead of compiling CapMap's methods again in every process.

BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $script:ModuleManifest = if ($env:CAPMAP_MODULE_MANIFEST) { $env:CAPMAP_MODULE_MANIFEST }
    else { Join-Path $RepoRoot 'out/CapMap/CapMap.psd1' }
    if (-not (Test-Path -LiteralPath $ModuleManifest)) { throw "Built module not found at '$ModuleManifest'. Run ./build.ps1 -Task Build first." }
    $script:ModuleDir = Split-Path -Parent $ModuleManifest
    . (Join-Path $PSScriptRoot 'ReadyToRunImage.ps1')
    . (Join-Path $PSScriptRoot 'IsolatedPwsh.ps1')
}

Describe 'ReadyToRun' {
    It '<Name> in the built module is a ReadyToRun image of this runtime''s format' -ForEach @(
        @{ Name = 'CapMap.Core.dll' }, @{ Name = 'CapMap.PowerShell.dll' }
    ) {
        $version = Get-ReadyToRunVersion ([IO.File]::ReadAllBytes((Join-Path $ModuleDir $Name)))
        $version | Should -Not -BeNullOrEmpty -Because "$Name should carry a ReadyToRun header"
        $version.Major | Should -Be (Get-RuntimeReadyToRunMajor) -Because 'a runtime ignores the precompiled code of another major format version'
    }

    It 'runs precompiled cmdlet and record code: an export in a fresh pwsh jits none of CapMap''s own methods' {
        # The runtime lists every method it compiles (DOTNET_JitStdOutFile + DOTNET_JitDisasmSummary); generic
        # instantiations over the framework's collections and emitted row classes are compiled anyway, CapMap's own
        # non-generic methods must not be.
        $jitLog = Join-Path $TestDrive 'jit.txt'
        $out = Join-Path $TestDrive 'one.bin'
        $script = "Import-Module '$ModuleManifest'; [pscustomobject]@{ host = 'web-1'; bytes = 1234 } | Export-CapnpMessage '$out'; (Import-CapnpMessage '$out').host"
        $saved = @{ DOTNET_JitStdOutFile = $env:DOTNET_JitStdOutFile; DOTNET_JitDisasmSummary = $env:DOTNET_JitDisasmSummary }
        try {
            $env:DOTNET_JitStdOutFile = $jitLog
            $env:DOTNET_JitDisasmSummary = '1'
            $output = & $PwshFile @PwshPrefix -NoProfile -NonInteractive -Command $script 2>&1
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        # Not the exit code: with the JIT's listing on, the runtime itself now and then crashes while shutting down
        # (SIGSEGV after the last output, seen with and without this module's precompiled code); the run is judged
        # by its output and the listing, which is complete by then.
        @($output | Where-Object { $_ -is [string] }) | Should -Contain 'web-1' -Because ($output -join "`n")
        $jitLog | Should -Exist
        $compiled = @(Get-Content -LiteralPath $jitLog | Where-Object { $_ -match 'JIT compiled CapMap\.' })
        # The export and import run through these; with IL-only assemblies each of them is in the list.
        $entryPoints = 'CapMap.PowerShell.Commands.ExportCapnpMessageCommand:BeginProcessing', 'CapMap.PowerShell.Commands.ImportCapnpMessageCommand:',
            'CapMap.PowerShell.ModuleInitializer:OnImport', 'CapMap.Schema.Inference.SchemaInferrer:'
        foreach ($method in $entryPoints) {
            @($compiled | Where-Object { $_.Contains($method) }) | Should -BeNullOrEmpty -Because "$method should run from the ReadyToRun image"
        }
        # Only methods the AOT compiler leaves out on purpose remain: [AggressiveOptimization] ones (FullOpts), generic
        # instantiations over the runtime's types, and the row classes Import emits at run time (CapMap.Rows). Code
        # that handles Int128 values is one more the AOT compiler leaves out: ClrTypeTable's initializer was JIT-compiled
        # in every process until its 128-bit bounds became BigInteger arithmetic. A precompiled method that runs hot is
        # compiled again at Tier1 (tiering, on a slow machine even in a run this short): not a method left out.
        $unexpected = @($compiled | Where-Object { $_ -notmatch '\[(FullOpts|Instrumented Tier1|Tier1)' -and $_ -notmatch 'CapMap\.[\w.+]+:\w+\[' -and $_ -notmatch 'JIT compiled CapMap\.Rows\.' })
        $unexpected | Should -BeNullOrEmpty -Because "CapMap's methods should run precompiled; jitted: $($unexpected | Select-Object -First 10)"
        # The runtime's generics over CapMap's own structs (List<T>, Span<T>, LINQ, value tuples) cannot be precompiled
        # either: each is a method JIT-compiled in every process. The export path keeps them few (124 at 72bdd29,
        # when checkpoints, schemas and arenas kept lists of structs; 7 since).
        $overOurTypes = @(Get-Content -LiteralPath $jitLog | Where-Object { $_ -match 'JIT compiled ' -and $_ -notmatch 'JIT compiled CapMap\.' -and $_ -match 'CapMap\.' })
        $overOurTypes.Count | Should -BeLessThan 15 -Because "generic code over CapMap's structs is JIT-compiled in every process; jitted: $($overOurTypes | Select-Object -First 10)"
    }

    It 'loads no OpenSSL for an export: the inferred schema''s ids are hashed in managed code' {
        # SHA256.HashData goes through OpenSSL on Linux, whose first call loads and initialises libssl and libcrypto
        # (about 45 ms of CPU, docs/benchmarks.md); the export must not pay that for the ids of its schema.
        if (-not (Get-Command strace -CommandType Application -ErrorAction Ignore)) {
            throw 'strace is not installed (.ci/run installs it): this test lists the files a child pwsh opens.'
        }
        $trace = Join-Path $TestDrive 'opens.txt'
        $out = Join-Path $TestDrive 'ssl.bin'
        $script = "Import-Module '$ModuleManifest'; [pscustomobject]@{ host = 'web-1'; bytes = 1234 } | Export-CapnpMessage '$out' -NoFlush"
        # No telemetry: PowerShell's own sender opens TLS libraries when a process lives long enough.
        $saved = $env:POWERSHELL_TELEMETRY_OPTOUT
        try {
            $env:POWERSHELL_TELEMETRY_OPTOUT = '1'
            $output = & strace -f -qq -e trace=openat -o $trace $PwshFile @PwshPrefix -NoProfile -NonInteractive -Command $script 2>&1
        }
        finally { $env:POWERSHELL_TELEMETRY_OPTOUT = $saved }
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $out | Should -Exist
        $opened = @(Get-Content -LiteralPath $trace | Where-Object { $_ -notmatch 'ENOENT' })
        @($opened | Where-Object { $_ -match 'CapMap\.Core\.dll' }) | Should -Not -BeNullOrEmpty -Because 'the trace should cover the export'
        @($opened | Where-Object { $_ -match 'libssl|libcrypto|Cryptography\.Native\.OpenSsl' }) | Should -BeNullOrEmpty
    }
}
