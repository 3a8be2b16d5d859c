#Requires -Version 7.4
# Import-CapnpSchema: .capnp compile, precompiled requests, -SavePrecompiled, and its errors.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'Import-CapnpSchema' {
    It 'compiles a .capnp file and lists structs, enums and root candidates' {
        $Schema | Should -BeOfType CapMap.PowerShell.CapnpSchema
        $Schema.FileName | Should -Be 'ops.capnp'
        $Schema.Source | Should -Be 'CapnpFile'
        $Schema.Structs | Should -Be @('Batch', 'Detail', 'Host', 'Record', 'Report')
        $Schema.Enums | Should -Be @('Severity')
        $Schema.RootCandidates | Should -Be @('Batch', 'Report')
        $Schema.RequestedFiles | Should -Be @('ops.capnp')
    }

    It 'keeps this machine''s directories out of the names inside the request' {
        $Schema.SchemaSet.Nodes.DisplayName | Where-Object { $_ -like '*/*' } | Should -BeNullOrEmpty
    }

    It 'formats as a table with the file name and root candidates' {
        $text = $Schema | Out-String -Width 250
        $text | Should -Match 'FileName'
        $text | Should -Match 'RootCandidates'
        $text | Should -Match 'Batch, Report'
    }

    It 'accepts pipeline input by path and by FileInfo' {
        @($SchemaPath | Import-CapnpSchema).Count | Should -Be 1
        (Get-Item -LiteralPath $SchemaPath | Import-CapnpSchema).FileName | Should -Be 'ops.capnp'
    }

    It 'saves the precompiled request and loads it again without the compiler' {
        $bin = Join-Path $TestDrive 'ops.capnp.bin'
        $null = Import-CapnpSchema -LiteralPath $SchemaPath -SavePrecompiled $bin
        $bin | Should -Exist
        $env:CAPNP = Join-Path $TestDrive 'no-such-capnp'
        try {
            $loaded = Import-CapnpSchema -LiteralPath $bin
        }
        finally {
            Remove-Item Env:CAPNP
        }
        $loaded.Source | Should -Be 'Precompiled'
        $loaded.Structs | Should -Be $Schema.Structs
    }

    It 'detects a precompiled request by content under any extension' {
        $req = Join-Path $TestDrive 'ops.request'
        [IO.File]::WriteAllBytes($req, $Schema.GetRequestBytes())
        (Import-CapnpSchema -LiteralPath $req).Source | Should -Be 'Precompiled'
    }

    It 'detects schema source text under another extension and compiles it' {
        $txt = Join-Path $TestDrive 'ops-schema.txt'
        Copy-Item -LiteralPath $SchemaPath $txt
        (Import-CapnpSchema -LiteralPath $txt).Source | Should -Be 'CapnpFile'
    }

    It 'refuses to overwrite -SavePrecompiled without -Force (FileExists) and leaves the file untouched' {
        $bin = Join-Path $TestDrive 'existing.bin'
        [IO.File]::WriteAllBytes($bin, [byte[]] (1..10))
        { Import-CapnpSchema -LiteralPath $SchemaPath -SavePrecompiled $bin } | Should -Throw -ErrorId 'FileExists,*'
        Get-Bytes $bin | Should -Be ([byte[]] (1..10))
        $null = Import-CapnpSchema -LiteralPath $SchemaPath -SavePrecompiled $bin -Force
        (Get-Item $bin).Length | Should -BeGreaterThan 100
    }

    It 'writes nothing with -WhatIf' {
        $bin = Join-Path $TestDrive 'whatif.bin'
        $null = Import-CapnpSchema -LiteralPath $SchemaPath -SavePrecompiled $bin -WhatIf
        $bin | Should -Not -Exist
    }

    It 'fails with CapnpToolNotFound and an install hint when capnp is missing' {
        $copy = Join-Path $TestDrive 'uncached.capnp'
        Copy-Item -LiteralPath $SchemaPath $copy
        $env:CAPNP = Join-Path $TestDrive 'no-such-capnp'
        try {
            { Import-CapnpSchema -LiteralPath $copy } | Should -Throw -ErrorId 'CapnpToolNotFound,*'
            try { Import-CapnpSchema -LiteralPath $copy } catch { $_.Exception.Message | Should -Match 'apt-get install capnproto' }
        }
        finally {
            Remove-Item Env:CAPNP
        }
    }

    It 'reports a schema capnp rejects as SchemaCompileFailed with the compiler''s message' {
        $bad = Join-Path $TestDrive 'bad.capnp'
        Set-Content -LiteralPath $bad -Value "@0xd4c1e7a2b3f60e12;`nstruct A { x @0 :NoSuchType; }"
        { Import-CapnpSchema -LiteralPath $bad -ErrorAction Stop } | Should -Throw -ErrorId 'SchemaCompileFailed,*'
        $null = Import-CapnpSchema -LiteralPath $bad -ErrorAction SilentlyContinue -ErrorVariable err
        "$($err[0])" | Should -Match 'NoSuchType'
    }

    It 'reports a binary file that is no request as InvalidSchema' {
        $junk = Join-Path $TestDrive 'junk.bin'
        [IO.File]::WriteAllBytes($junk, [byte[]] (0..255))
        { Import-CapnpSchema -LiteralPath $junk -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSchema,*'
    }

    It 'reports a missing file as PathNotFound' {
        { Import-CapnpSchema -Path (Join-Path $TestDrive 'missing.capnp') -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
    }

    It 'reports a missing import directory as PathNotFound' {
        { Import-CapnpSchema -LiteralPath $SchemaPath -ImportPath (Join-Path $TestDrive 'nope') } | Should -Throw -ErrorId 'PathNotFound,*'
    }

    It 'passes -ImportPath to the compiler' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'imports')
        Copy-Item -LiteralPath $SchemaPath (Join-Path $dir 'ops.capnp')
        $main = Join-Path $TestDrive 'uses-import.capnp'
        Set-Content -LiteralPath $main -Value "@0xd4c1e7a2b3f60e13;`nusing Ops = import `"/ops.capnp`";`nstruct Wrapper { batch @0 :Ops.Batch; }"
        $s = Import-CapnpSchema -LiteralPath $main -ImportPath $dir
        $s.Structs | Should -Be @('Wrapper')
        $s.SchemaSet.GetStruct('Record') | Should -Not -BeNullOrEmpty
    }
}
