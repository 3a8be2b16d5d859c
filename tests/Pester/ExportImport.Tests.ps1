#Requires -Version 7.4
# Export-CapnpMessage and Import-CapnpMessage: one-shot export, reading back, Ctrl+C behaviour, errors.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'Export-CapnpMessage' {
    It 'writes the pipeline into a finished file and outputs nothing by default' {
        $file = Join-Path $TestDrive 'export.bin'
        $out = 0..99 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch -Property @{ source = 'export' }
        $out | Should -BeNullOrEmpty
        $info = Get-CapnpMessageInfo $file
        $info.State | Should -Be 'Complete'
        $info.RecordCount | Should -Be 100
        $json = ConvertFrom-CapnpFile $file
        $json.source | Should -Be 'export'
        $json.records.Count | Should -Be 100
        $json.records[42].name | Should -Be 'proc-42'
    }

    It 'outputs the FileInfo with -PassThru and accepts the schema as a path' {
        $file = Join-Path $TestDrive 'passthru.bin'
        $fi = New-TestRecord 1 | Export-CapnpMessage -Path $file -Schema $SchemaPath -RootType Batch -PassThru
        $fi | Should -BeOfType System.IO.FileInfo
        $fi.FullName | Should -Be $file
    }

    It 'writes each element of an array given to -InputObject' {
        $file = Join-Path $TestDrive 'inputobject.bin'
        Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch -InputObject @((New-TestRecord 1), (New-TestRecord 2))
        (ConvertFrom-CapnpFile $file).records.Count | Should -Be 2
    }

    It 'matches each record by its own properties when shapes change from record to record' {
        # The writer binds field names once per property-name sequence / .NET type; a record of another shape
        # (other order, other or extra properties, a script property, a .NET object) must not reuse that binding.
        $file = Join-Path $TestDrive 'shapes.bin'
        $withScript = [pscustomobject]@{ id = 5; name = 'five' }
        $withScript | Add-Member -MemberType ScriptProperty -Name pid -Value { 50 }
        $records = @(
            [pscustomobject]@{ id = 1; pid = 10; name = 'one' }
            [pscustomobject]@{ name = 'two'; id = 2; pid = 20 }
            [pscustomobject]@{ id = 3; name = 'three' }
            [pscustomobject]@{ id = 4; pid = 40; name = 'four'; extra = 'x' }
            $withScript
            [pscustomobject]@{ ID = 6; PID = 60; NAME = 'six' }
            @{ id = 7; pid = 70; name = 'seven' }
            [pscustomobject]@{ id = 8; pid = 80; name = 'eight' }
        )
        $records | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch
        $back = @(Import-CapnpMessage -Path $file -Schema $Schema -RootType Batch)
        $back.Count | Should -Be 8
        $back.id | Should -Be @(1, 2, 3, 4, 5, 6, 7, 8)
        $back.pid | Should -Be @(10, 20, 0, 40, 50, 60, 70, 80)
        $back.name | Should -Be @('one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight')
    }

    It 'writes to a nested list with -Field and Eager growth' {
        $file = Join-Path $TestDrive 'nested.bin'
        1..20 | ForEach-Object { @{ name = "s$_"; port = $_ } } |
            Export-CapnpMessage -Path $file -Schema $Schema -RootType Report -Field detail.samples -Growth Eager -Reserve 1GB
        (ConvertFrom-CapnpFile $file -Type Report).detail.samples.Count | Should -Be 20
    }

    It 'creates nothing with -WhatIf' {
        $file = Join-Path $TestDrive 'export-whatif.bin'
        New-TestRecord 1 | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch -WhatIf
        $file | Should -Not -Exist
    }

    It 'refuses an existing file without -Force (FileExists) and leaves it untouched; -Force replaces it' {
        $file = Join-Path $TestDrive 'export-exists.bin'
        [IO.File]::WriteAllBytes($file, [byte[]] (1, 2, 3))
        { New-TestRecord 1 | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch } | Should -Throw -ErrorId 'FileExists,*'
        Get-Bytes $file | Should -Be ([byte[]] (1, 2, 3))
        New-TestRecord 1 | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch -Force
        (ConvertFrom-CapnpFile $file).records.Count | Should -Be 1
    }

    It 'reports unknown -RootType and -Field, and a missing -Field, by ErrorId without creating the file' {
        $file = Join-Path $TestDrive 'export-bad.bin'
        { New-TestRecord 1 | Export-CapnpMessage -Path $file -Schema $Schema -RootType Nope } | Should -Throw -ErrorId 'RootTypeNotFound,*'
        { New-TestRecord 1 | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch -Field nope } | Should -Throw -ErrorId 'FieldNotFound,*'
        { New-TestRecord 1 | Export-CapnpMessage -Path $file -Schema $Schema -RootType Report } | Should -Throw -ErrorId 'FieldRequired,*'
        { New-TestRecord 1 | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch -Field source } | Should -Throw -ErrorId 'FieldTypeNotSupported,*'
        { New-TestRecord 1 | Export-CapnpMessage -Path $file -Schema (Join-Path $TestDrive 'none.capnp') -RootType Batch } | Should -Throw -ErrorId 'PathNotFound,*'
        $file | Should -Not -Exist
    }

    It 'reports bad records and writes the good ones' {
        $file = Join-Path $TestDrive 'export-errors.bin'
        $inputs = (New-TestRecord 0), [pscustomobject]@{ priority = 300 }, (New-TestRecord 2), [pscustomobject]@{ exitCode = 1; message = 'x' }
        $inputs | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 2
        "$($errs[0])" | Should -Match 'Record 1 .*priority.*300'
        "$($errs[1])" | Should -Match 'Record 3 '
        (ConvertFrom-CapnpFile $file).records.id | Should -Be @('1000', '1002')
    }

    It 'keeps what was written, completed, when the pipeline fails upstream' {
        $file = Join-Path $TestDrive 'export-upstream.bin'
        { & { 0..9 | ForEach-Object { New-TestRecord $_ }; throw 'upstream failure' } | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch -Reserve 256MB } |
            Should -Throw '*upstream failure*'
        $info = Get-CapnpMessageInfo $file
        $info.State | Should -Be 'Complete' # a stopped pipeline keeps what came as a whole file, as Export-Csv does
        $info.RecordCount | Should -Be 10
        (ConvertFrom-CapnpFile $file).records.Count | Should -Be 10
    }

    It 'keeps what was written, completed, when stopped (Ctrl+C)' {
        $file = Join-Path $TestDrive 'export-stopped.bin'
        # The generator publishes how many records it has produced. A pipeline hands each record to Export before
        # the generator resumes, so once it is producing record n, records 1..n-1 are in the message: poll for
        # that instead of guessing how long Export needs to get going. A one-element array shared by both runspaces:
        # one writer, one reader, no lock for the generator's tight loop to hold.
        $produced = [long[]]::new(1)
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript(@"
param(`$produced)
Import-Module '$ModuleManifest'
`$i = 0
& { while (`$true) { `$i++; `$produced[0] = `$i; [pscustomobject]@{ id = `$i; name = "r`$i" } } } | Export-CapnpMessage -Path '$file' -Schema '$SchemaPath' -RootType Batch -Reserve 256MB
"@).AddArgument($produced)
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            while ($produced[0] -le 100 -and -not $handle.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            # (Not $ps.Streams.Error in the message: enumerating an open PSDataCollection blocks until the pipeline ends.)
            $produced[0] | Should -BeGreaterThan 100 -Because 'Export should have taken 100 records within 120 s'
            $ps.Stop()
            $handle.IsCompleted | Should -BeTrue
        }
        finally { $ps.Dispose() }
        $info = Get-CapnpMessageInfo $file
        $info.State | Should -Be 'Complete' # a stopped pipeline keeps what came as a whole file, as Export-Csv does
        $info.RecordCount | Should -BeGreaterOrEqual 100
        $info.SlackBytes | Should -Be 0
        $json = ConvertFrom-CapnpFile $file
        $json.records.Count | Should -Be $info.RecordCount
        $json.records[-1].name | Should -Be "r$($info.RecordCount)"
    }
}

Describe 'Add-CapnpStruct stopped (Ctrl+C)' {
    It 'checkpoints the records added so far and leaves the message usable' {
        $file = Join-Path $TestDrive 'add-stopped.bin'
        $m = New-CapnpMappedMessage -Path $file -Schema $Schema -RootType Batch -Reserve 256MB
        try {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript('param($m, $manifest) Import-Module $manifest; $i = 0; & { while ($true) { $i++; [pscustomobject]@{ id = $i } } } | Add-CapnpStruct -Message $m').AddArgument($m).AddArgument($ModuleManifest)
                $handle = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while ($m.RecordCount -lt 1000 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                $ps.Stop()
                $handle.IsCompleted | Should -BeTrue
            }
            finally { $ps.Dispose() }
            $m.State | Should -Be 'Open'
            $m.LastCheckpoint | Should -Not -BeNullOrEmpty
            $m.LastCheckpoint.RecordCount | Should -Be $m.RecordCount
            $count = $m.RecordCount
            [pscustomobject]@{ id = 0 } | Add-CapnpStruct -Message $m
            ($m | Complete-CapnpMappedMessage).RecordCount | Should -Be ($count + 1)
        }
        finally { $m.Dispose() }
    }
}

Describe 'Import-CapnpMessage' {
    BeforeAll {
        $script:File = Join-Path $TestDrive 'import.bin'
        0..29 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $File -Schema $Schema -RootType Batch -Property @{ source = 'imp'; createdUnix = 5 }
        $script:Records = @(Import-CapnpMessage -Path $File -Schema $Schema -RootType Batch)
    }

    It 'streams the list elements as objects of a type generated for the struct' {
        $Records.Count | Should -Be 30
        $Records[0] | Should -BeOfType CapMap.Objects.Reading.Row
        $Records[0].GetType().Name | Should -Match '^Record'
        $Records[0].GetType() | Should -Be $Records[3].GetType() # the same union member set: the same generated type
        $Records[0].GetType() | Should -Not -Be $Records[1].GetType()
        $Records[7].id | Should -Be 1007
        $Records[7].id | Should -BeOfType System.UInt64
        $Records[7].pid | Should -BeOfType System.Int32
        $Records[7].name | Should -Be 'proc-7'
        $Records[7].cpu | Should -Be 3.5
    }

    It 'returns enums as names, Data as byte[], lists as arrays, structs and groups as nested objects' {
        $r = $Records[8]
        $r.severity | Should -Be 'error'
        $r.payload | Should -BeOfType System.Byte
        , $r.payload | Should -BeOfType 'System.Byte[]'
        $r.payload | Should -Be @(8, 1, 2)
        $r.tags | Should -Be @('t8', 'ops')
        $r.host.name | Should -Be 'host1'
        $r.host.port | Should -Be 8008
        $r.location.region | Should -Be 'eu-west'
        $r.location.rack | Should -Be 8
    }

    It 'returns only the union member that is set' {
        $names = { param($o) $o.PSObject.Properties.Name }
        & $names $Records[3] | Should -Contain 'exitCode'
        & $names $Records[3] | Should -Not -Contain 'message'
        & $names $Records[3] | Should -Not -Contain 'none'
        $Records[3].exitCode | Should -Be -3
        $Records[4].message | Should -Be 'msg 4'
        & $names $Records[4] | Should -Not -Contain 'exitCode'
        & $names $Records[5] | Should -Contain 'none'
    }

    It 'round-trips: imported records export to the same file content' {
        $again = Join-Path $TestDrive 'again.bin'
        $Records | Export-CapnpMessage -Path $again -Schema $Schema -RootType Batch -Strict -Property @{ source = 'imp'; createdUnix = 5 }
        $a = ConvertFrom-CapnpFile $File | ConvertTo-Json -Depth 10
        $b = ConvertFrom-CapnpFile $again | ConvertTo-Json -Depth 10
        $b | Should -Be $a
    }

    It 'reads the root when -Field names a struct, and when the root has no list' {
        $hostFile = Join-Path $TestDrive 'report.bin'
        $m = New-CapnpMappedMessage -Path $hostFile -Schema $Schema -RootType Report -Property @{ title = 'r'; primary = @{ name = 'p'; port = 1 }; meta = @{ owner = 'o' } }
        @{ note = 'n' } | Add-CapnpStruct -Message $m -Field detail
        @{ name = 'x'; port = 2 }, @{ name = 'y'; port = 3 } | Add-CapnpStruct -Message $m -Field detail.samples
        $null = $m | Complete-CapnpMappedMessage
        (Import-CapnpMessage -Path $hostFile -Schema $Schema -RootType Report -Field primary).name | Should -Be 'p'
        (Import-CapnpMessage -Path $hostFile -Schema $Schema -RootType Report -Field meta).owner | Should -Be 'o'
        (Import-CapnpMessage -Path $hostFile -Schema $Schema -RootType Report -Field detail.samples).name | Should -Be @('x', 'y')
        (Import-CapnpMessage -Path $hostFile -Schema $Schema -RootType Report -Field detail).note | Should -Be 'n'
        $root = Import-CapnpMessage -Path $hostFile -Schema $Schema -RootType Host
        @($root).Count | Should -Be 1
    }

    It 'honours -Skip and -First' {
        (Import-CapnpMessage -Path $File -Schema $Schema -RootType Batch -Skip 10 -First 3).id | Should -Be @(1010, 1011, 1012)
    }

    It 'reads lazily: Select-Object -First stops the reader early' {
        (Import-CapnpMessage -Path $File -Schema $Schema -RootType Batch | Select-Object -First 2).Count | Should -Be 2
    }

    It 'reports a file that is no message as InvalidMessageFile' {
        $bad = Join-Path $TestDrive 'bad.bin'
        Set-Content -LiteralPath $bad -Value ('z' * 100)
        { Import-CapnpMessage -Path $bad -Schema $Schema -RootType Batch -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMessageFile,*'
    }

    It 'reports unknown -RootType and -Field by ErrorId' {
        { Import-CapnpMessage -Path $File -Schema $Schema -RootType Nope } | Should -Throw -ErrorId 'RootTypeNotFound,*'
        { Import-CapnpMessage -Path $File -Schema $Schema -RootType Batch -Field nope } | Should -Throw -ErrorId 'FieldNotFound,*'
        { Import-CapnpMessage -Path $File -Schema $Schema -RootType Report } | Should -Throw -ErrorId 'FieldRequired,*'
        { Import-CapnpMessage -Path (Join-Path $TestDrive 'missing.bin') -Schema $Schema -RootType Batch -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
    }
}
