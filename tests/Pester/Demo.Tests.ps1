#Requires -Version 7.4
# The Demo (build.ps1 -Task Demo) on a machine with only the .NET SDK: a child pwsh with a PATH without capnp and
# no CAPNP variable runs tools/Demo.ps1, which must build, read back and check its files and say how to add the
# check with the reference tool. Also: the precompiled demo schema is what capnp compiles from procs.capnp.

BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $script:ModuleManifest = if ($env:CAPMAP_MODULE_MANIFEST) { $env:CAPMAP_MODULE_MANIFEST }
    else { Join-Path $RepoRoot 'out/CapMap/CapMap.psd1' }
    if (-not (Test-Path -LiteralPath $ModuleManifest)) { throw "Built module not found at '$ModuleManifest'. Run ./build.ps1 -Task Build first." }
    . (Join-Path $PSScriptRoot 'IsolatedPwsh.ps1')
    $script:DemoDir = Join-Path $RepoRoot 'tools/demo'
}

Describe 'Demo without the capnp tool' {
    BeforeAll {
        $environment = New-CleanEnvironment (Join-Path $TestDrive 'user')
        $environment.Remove('CAPNP')
        $script:DemoOut = Join-Path $TestDrive 'demo'
        $script:Run = Invoke-IsolatedPwsh -ScriptPath (Join-Path $RepoRoot 'tools/Demo.ps1') -Environment $environment `
            -ArgumentList @('-ModuleManifest', $ModuleManifest, '-OutputDirectory', $DemoOut, '-CsvRows', '3000')
        $script:Output = $Run.StdOut + "`n" + $Run.StdErr
    }

    It 'has no capnp on the PATH it runs with' {
        $bin = Join-Path $TestDrive 'user/bin'
        Join-Path $bin 'capnp' | Should -Not -Exist
        @(Get-ChildItem -LiteralPath $bin).Name | Should -Not -Contain 'capnp'
    }

    It 'succeeds' {
        $Run.ExitCode | Should -Be 0 -Because $Output
        $Output | Should -Match 'Demo finished'
    }

    It 'reads its files back and checks them with CapMap' {
        $Output | Should -Match 'Import-CapnpMessage read (\d+) processes \(we wrote \1\); 0 mismatching records'
        $Output | Should -Match 'Exported 3,000 records'
        Join-Path $DemoOut 'processes.bin' | Should -Exist
        Join-Path $DemoOut 'processes-csv.bin' | Should -Exist
    }

    It 'says how to add the check with the reference tool' {
        $Output | Should -Match 'apt-get install capnproto'
        $Output | Should -Not -Match 'capnp read \d+ processes'
    }
}

Describe 'Demo schema' {
    It 'procs.capnp.bin is what capnp compiles from procs.capnp (regenerate: capnp compile -o- procs.capnp > procs.capnp.bin in tools/demo)' {
        # Compared as text without the compiler's version, so another capnp release does not fail it.
        $schemaCapnp = & bash -c 'for d in /usr/include /usr/local/include; do [ -f "$d/capnp/schema.capnp" ] && echo "$d/capnp/schema.capnp" && break; done'
        $schemaCapnp | Should -Not -BeNullOrEmpty -Because 'capnp/schema.capnp ships with the Cap''n Proto tools'
        $decode = 'cd "$0" && capnp convert binary:text "$1" CodeGeneratorRequest < "$2"'
        $committed = (& bash -c $decode $DemoDir $schemaCapnp 'procs.capnp.bin') -join "`n"
        $LASTEXITCODE | Should -Be 0
        $fresh = (& bash -c ('cd "$0" && capnp compile -o- procs.capnp | capnp convert binary:text "$1" CodeGeneratorRequest') $DemoDir $schemaCapnp) -join "`n"
        $LASTEXITCODE | Should -Be 0
        $withoutVersion = { param($text) $text -replace 'capnpVersion = \([^)]*\)', '' }
        & $withoutVersion $committed | Should -Be (& $withoutVersion $fresh)
        $committed | Should -Match 'procs.capnp:Snapshot'
    }
}
