#Requires -Version 7.4
# New-CapnpMappedMessage, Add-CapnpStruct, Complete-/Save-/Repair-/Resize-CapnpMappedMessage, Get-CapnpMessageInfo:
# behaviour, file contents checked with `capnp convert`, and every error path by ErrorId.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Open = [System.Collections.Generic.List[object]]::new()
    function New-TestMessage {
        param([string] $Name = "m$(Get-Random).bin", [string] $RootType = 'Batch', [hashtable] $Property)
        $file = Join-Path $TestDrive $Name
        # A small reserve: these messages stay tiny, and reserving less address space keeps the tests frugal.
        $params = @{ Path = $file; Schema = $Schema; RootType = $RootType; Reserve = 256MB }
        if ($Property) { $params.Property = $Property }
        $m = New-CapnpMappedMessage @params
        $script:Open.Add($m)
        $m
    }
}

AfterAll {
    foreach ($m in $Open) { $m.Dispose() }
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'New-CapnpMappedMessage' {
    It 'creates the file and returns an open message' {
        $m = New-TestMessage -Name 'new.bin'
        $m | Should -BeOfType CapMap.PowerShell.CapnpMappedMessage
        $m.State | Should -Be 'Open'
        $m.RootType | Should -Be 'Batch'
        $m.Path | Should -Be (Join-Path $TestDrive 'new.bin')
        $m.Path | Should -Exist
        $m.SegmentCount | Should -Be 1
        $m.CommittedBytes | Should -BeGreaterOrEqual $m.UsedBytes
        $m.Dispose()
        $m.State | Should -Be 'Closed'
    }

    It 'shows path, root type, sizes, segments and faults in its table view' {
        $m = New-TestMessage
        $text = $m | Out-String -Width 250
        foreach ($label in 'Path', 'RootType', 'State', 'Records', 'UsedBytes', 'CommittedBytes', 'Segments', 'Faults') { $text | Should -Match $label }
        $m.Dispose()
    }

    It 'sets root fields from -Property' {
        $m = New-TestMessage -Property @{ source = 'unit'; createdUnix = 1700000000 }
        $summary = $m | Complete-CapnpMappedMessage
        $json = ConvertFrom-CapnpFile $summary.Path
        $json.source | Should -Be 'unit'
        $json.createdUnix | Should -Be '1700000000'
    }

    It 'accepts the schema as a path and resolves relative paths against the current location' {
        Push-Location $TestDrive
        try {
            $m = New-CapnpMappedMessage -Path 'relative.bin' -Schema $SchemaPath -RootType Batch
            $Open.Add($m)
            $m.Path | Should -Be (Join-Path $TestDrive 'relative.bin')
            $m.Dispose()
        }
        finally { Pop-Location }
    }

    It 'refuses an existing file without -Force (FileExists) and leaves its bytes untouched' {
        $file = Join-Path $TestDrive 'exists.bin'
        [IO.File]::WriteAllBytes($file, [byte[]] (7, 7, 7))
        { New-CapnpMappedMessage -Path $file -Schema $Schema -RootType Batch } | Should -Throw -ErrorId 'FileExists,*'
        { New-CapnpMappedMessage -Path $file -Schema $Schema -RootType Batch -WhatIf } | Should -Throw -ErrorId 'FileExists,*'
        Get-Bytes $file | Should -Be ([byte[]] (7, 7, 7))
    }

    It 'replaces an existing file with -Force' {
        $file = Join-Path $TestDrive 'force.bin'
        [IO.File]::WriteAllBytes($file, [byte[]] (7, 7, 7))
        $m = New-CapnpMappedMessage -Path $file -Schema $Schema -RootType Batch -Force
        $Open.Add($m)
        ($m | Complete-CapnpMappedMessage).Bytes | Should -BeGreaterThan 8
    }

    It 'creates nothing with -WhatIf' {
        $file = Join-Path $TestDrive 'whatif.bin'
        New-CapnpMappedMessage -Path $file -Schema $Schema -RootType Batch -WhatIf | Should -BeNullOrEmpty
        $file | Should -Not -Exist
    }

    It 'refuses a directory as the path (PathIsDirectory)' {
        { New-CapnpMappedMessage -Path $TestDrive -Schema $Schema -RootType Batch } | Should -Throw -ErrorId 'PathIsDirectory,*'
    }

    It 'refuses a file in a missing directory (PathNotFound)' {
        { New-CapnpMappedMessage -Path (Join-Path $TestDrive 'no/such/dir.bin') -Schema $Schema -RootType Batch } | Should -Throw -ErrorId 'PathNotFound,*'
    }

    It 'reports an unknown -RootType as RootTypeNotFound and creates nothing' {
        $file = Join-Path $TestDrive 'noroot.bin'
        { New-CapnpMappedMessage -Path $file -Schema $Schema -RootType NoSuchStruct } | Should -Throw -ErrorId 'RootTypeNotFound,*'
        { New-CapnpMappedMessage -Path $file -Schema $Schema -RootType Severity } | Should -Throw -ErrorId 'RootTypeNotFound,*'
        $file | Should -Not -Exist
    }

    It 'reports a -Schema that is neither a schema nor a path as InvalidSchema' {
        { New-CapnpMappedMessage -Path (Join-Path $TestDrive 'x.bin') -Schema 42 -RootType Batch } | Should -Throw -ErrorId 'InvalidSchema,*'
    }

    It 'reports a missing schema file as PathNotFound' {
        { New-CapnpMappedMessage -Path (Join-Path $TestDrive 'x.bin') -Schema (Join-Path $TestDrive 'none.capnp') -RootType Batch } | Should -Throw -ErrorId 'PathNotFound,*'
    }

    It 'rejects a bad -Property value (PropertyConversionFailed) before creating the file' {
        $file = Join-Path $TestDrive 'badprop.bin'
        { New-CapnpMappedMessage -Path $file -Schema $Schema -RootType Batch -Property @{ createdUnix = 'yesterday' } } | Should -Throw -ErrorId 'PropertyConversionFailed,*'
        { New-CapnpMappedMessage -Path $file -Schema $Schema -RootType Batch -Property @{ records = @() } } | Should -Throw -ErrorId 'PropertyConversionFailed,*'
        { New-CapnpMappedMessage -Path $file -Schema $Schema -RootType Batch -Property @{ nosuch = 1 } -Strict } | Should -Throw -ErrorId 'PropertyConversionFailed,*'
        $file | Should -Not -Exist
    }

    It 'refuses a file another message is writing (FileLocked)' {
        $m = New-TestMessage -Name 'locked.bin'
        { New-CapnpMappedMessage -Path $m.Path -Schema $Schema -RootType Batch -Force } | Should -Throw -ErrorId 'FileLocked,*'
        $m.Dispose()
    }
}

Describe 'Add-CapnpStruct and Complete-CapnpMappedMessage' {
    It 'takes the message from the pipeline with -Value and -PassThru' {
        $file = Join-Path $TestDrive 'form1.bin'
        $items = 0..9 | ForEach-Object { New-TestRecord $_ }
        $summary = New-CapnpMappedMessage -Path $file -Schema $Schema -RootType Batch |
            Add-CapnpStruct -Field records -Value $items -PassThru | Complete-CapnpMappedMessage
        $summary | Should -BeOfType CapMap.PowerShell.CapnpMessageSummary
        $summary.RecordCount | Should -Be 10
        $summary.File | Should -BeOfType System.IO.FileInfo
        $summary.File.Length | Should -Be $summary.Bytes
        $summary.Bytes | Should -Be (Get-Item $file).Length
        $summary.SegmentCount | Should -BeGreaterOrEqual 1
        $summary.FinishTime | Should -BeOfType TimeSpan
        ($summary | Out-String -Width 250) | Should -Match 'Records'
        $json = ConvertFrom-CapnpFile $file
        $json.records.Count | Should -Be 10
        $json.records[3].name | Should -Be 'proc-3'
        $json.records[3].exitCode | Should -Be -3
        $json.records[4].message | Should -Be 'msg 4'
        $json.records[4].severity | Should -Be 'critical'
        $json.records[4].host.port | Should -Be 8004
        $json.records[4].location.rack | Should -Be 4
        $json.records[4].tags | Should -Be @('t4', 'ops')
        $json.records[4].payload | Should -Be @(4, 1, 2)
    }

    It 'takes objects from the pipeline with -Message (default field: the only List(Struct))' {
        $m = New-TestMessage
        0..49 | ForEach-Object { New-TestRecord $_ } | Add-CapnpStruct -Message $m
        $m.RecordCount | Should -Be 50
        $m.OpenList | Should -Be 'records'
        $summary = Complete-CapnpMappedMessage -Message $m
        $summary.RecordCount | Should -Be 50
        $m.State | Should -Be 'Completed'
        (ConvertFrom-CapnpFile $m.Path).records.Count | Should -Be 50
    }

    It 'accepts hashtables and CSV-style strings' {
        $m = New-TestMessage
        @{ id = 1; name = 'hash'; severity = 'info' }, [pscustomobject]@{ id = '2'; pid = '-7'; cpu = '2.5'; severity = 'critical'; ok = 'true' } |
            Add-CapnpStruct -Message $m
        $json = ConvertFrom-CapnpFile ($m | Complete-CapnpMappedMessage).Path
        $json.records[0].name | Should -Be 'hash'
        $json.records[1].pid | Should -Be -7
        $json.records[1].cpu | Should -Be 2.5
        $json.records[1].severity | Should -Be 'critical'
        $json.records[1].ok | Should -BeTrue
    }

    It 'reports bad records (RecordConversionFailed) naming the record and field, skips them and keeps the others' {
        $m = New-TestMessage
        $inputs = @(
            (New-TestRecord 0)
            [pscustomobject]@{ id = 1; pid = 'not-a-number' }               # wrong type
            (New-TestRecord 2)
            [pscustomobject]@{ id = 3; exitCode = 1; message = 'both' }       # two union members
            [pscustomobject]@{ id = 4; priority = 300 }                       # 300 into a UInt8
            [pscustomobject]@{ id = 5; severity = 'fatal' }                   # not an enumerant
            (New-TestRecord 6)
        )
        $inputs | Add-CapnpStruct -Message $m -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 4
        $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'RecordConversionFailed,*' }
        $errs | ForEach-Object { $_.CategoryInfo.Category | Should -Be 'InvalidData' }
        "$($errs[0])" | Should -Match 'Record 1 '
        "$($errs[0])" | Should -Match 'pid'
        "$($errs[0])" | Should -Match 'not-a-number'
        "$($errs[1])" | Should -Match 'Record 3 '
        "$($errs[1])" | Should -Match 'exitCode'
        "$($errs[1])" | Should -Match 'message'
        "$($errs[2])" | Should -Match 'Record 4 '
        "$($errs[2])" | Should -Match 'priority'
        "$($errs[2])" | Should -Match '300'
        "$($errs[3])" | Should -Match 'severity'
        $errs[2].TargetObject.id | Should -Be 4
        $m.RecordCount | Should -Be 3
        $json = ConvertFrom-CapnpFile ($m | Complete-CapnpMappedMessage).Path
        $json.records.id | Should -Be @('1000', '1002', '1006')
        $json.records[1].name | Should -Be 'proc-2'
    }

    It 'rejects null and scalar records' {
        $m = New-TestMessage
        $m | Add-CapnpStruct -Value @($null, 'text', 5, (New-TestRecord 1)) -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 3
        $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'RecordConversionFailed,*' }
        $m.RecordCount | Should -Be 1
        $m.Dispose()
    }

    It 'rejects unknown properties with -Strict' {
        $m = New-TestMessage
        [pscustomobject]@{ id = 1; bogus = 2 } | Add-CapnpStruct -Message $m -Strict -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        "$($errs[0])" | Should -Match 'bogus'
        [pscustomobject]@{ id = 1; bogus = 2 } | Add-CapnpStruct -Message $m
        $m.RecordCount | Should -Be 1
        $m.Dispose()
    }

    It 'reports an unknown -Field as FieldNotFound' {
        $m = New-TestMessage
        { New-TestRecord 1 | Add-CapnpStruct -Message $m -Field nosuch } | Should -Throw -ErrorId 'FieldNotFound,*'
        { New-TestRecord 1 | Add-CapnpStruct -Message $m -Field 'records.nosuch' } | Should -Throw -ErrorId 'FieldTypeNotSupported,*'
        $m.Dispose()
    }

    It 'reports a field that is neither a list nor a struct as FieldTypeNotSupported' {
        $m = New-TestMessage -RootType Report
        { @{ title = 'x' } | Add-CapnpStruct -Message $m -Field title } | Should -Throw -ErrorId 'FieldTypeNotSupported,*'
        $m.Dispose()
    }

    It 'requires -Field when the root has several lists (FieldRequired)' {
        $m = New-TestMessage -RootType Report
        { New-TestRecord 1 | Add-CapnpStruct -Message $m } | Should -Throw -ErrorId 'FieldRequired,*'
        $m.Dispose()
    }

    It 'fills several lists one after another, nested lists, struct and group fields' {
        $m = New-TestMessage -RootType Report -Property @{ title = 'report' }
        0..2 | ForEach-Object { New-TestRecord $_ } | Add-CapnpStruct -Message $m -Field records
        @{ name = 'a'; port = 1 }, @{ name = 'b'; port = 2 } | Add-CapnpStruct -Message $m -Field hosts
        @{ name = 'primary'; port = 443 } | Add-CapnpStruct -Message $m -Field primary
        @{ note = 'details' } | Add-CapnpStruct -Message $m -Field detail
        @{ name = 's1'; port = 11 } | Add-CapnpStruct -Message $m -Field detail.samples
        @{ owner = 'ops'; version = 3 } | Add-CapnpStruct -Message $m -Field meta
        $json = ConvertFrom-CapnpFile ($m | Complete-CapnpMappedMessage).Path -Type Report
        $json.title | Should -Be 'report'
        $json.records.Count | Should -Be 3
        $json.hosts.name | Should -Be @('a', 'b')
        $json.primary.port | Should -Be 443
        $json.detail.note | Should -Be 'details'
        $json.detail.samples[0].name | Should -Be 's1'
        $json.meta.owner | Should -Be 'ops'
        $json.meta.version | Should -Be 3
    }

    It 'refuses to reopen a list after moving to another (ListAlreadyCompleted), keeping what was written' {
        $m = New-TestMessage -RootType Report
        New-TestRecord 1 | Add-CapnpStruct -Message $m -Field records
        @{ name = 'h' } | Add-CapnpStruct -Message $m -Field hosts
        { New-TestRecord 2 | Add-CapnpStruct -Message $m -Field records } | Should -Throw -ErrorId 'ListAlreadyCompleted,*'
        $json = ConvertFrom-CapnpFile ($m | Complete-CapnpMappedMessage).Path -Type Report
        $json.records.Count | Should -Be 1
        $json.hosts.Count | Should -Be 1
    }

    It 'refuses to reach a list through a struct that streamed records may have moved (FieldOrderNotSupported)' {
        $m = New-TestMessage -RootType Report
        New-TestRecord 1 | Add-CapnpStruct -Message $m -Field records
        @{ note = 'set while records stream' } | Add-CapnpStruct -Message $m -Field detail
        New-TestRecord 2 | Add-CapnpStruct -Message $m -Field records
        { @{ name = 's' } | Add-CapnpStruct -Message $m -Field detail.samples } | Should -Throw -ErrorId 'FieldOrderNotSupported,*'
        $json = ConvertFrom-CapnpFile ($m | Complete-CapnpMappedMessage).Path -Type Report
        $json.records.Count | Should -Be 2
        $json.detail.note | Should -Be 'set while records stream'
    }

    It 'streams many records into one list while other structs sit in the segments that move' {
        $m = New-TestMessage -RootType Report
        @{ note = 'before' } | Add-CapnpStruct -Message $m -Field detail
        0..2999 | ForEach-Object { [pscustomobject]@{ id = $_; name = 'x' * 400; tags = @('a', 'b') } } | Add-CapnpStruct -Message $m -Field records
        @{ name = 'after'; port = 1 } | Add-CapnpStruct -Message $m -Field detail.samples
        $json = ConvertFrom-CapnpFile ($m | Complete-CapnpMappedMessage).Path -Type Report
        $json.records.Count | Should -Be 3000
        $json.records[2999].id | Should -Be '2999'
        $json.detail.note | Should -Be 'before'
        $json.detail.samples[0].name | Should -Be 'after'
    }

    It 'adds nothing with -WhatIf' {
        $m = New-TestMessage
        New-TestRecord 1 | Add-CapnpStruct -Message $m -WhatIf
        $m.RecordCount | Should -Be 0
        $m.Dispose()
    }

    It 'refuses to add to or complete a finished message (MessageClosed)' {
        $m = New-TestMessage
        $null = $m | Complete-CapnpMappedMessage
        { New-TestRecord 1 | Add-CapnpStruct -Message $m } | Should -Throw -ErrorId 'MessageClosed,*'
        { $m | Complete-CapnpMappedMessage -ErrorAction Stop } | Should -Throw -ErrorId 'MessageClosed,*'
        { $m | Save-CapnpMappedMessage -ErrorAction Stop } | Should -Throw -ErrorId 'MessageClosed,*'
    }

    It 'refuses to add to a disposed message (MessageClosed)' {
        $m = New-TestMessage
        $m.Dispose()
        { New-TestRecord 1 | Add-CapnpStruct -Message $m } | Should -Throw -ErrorId 'MessageClosed,*'
    }

    It 'completes without flushing with -NoFlush' {
        $m = New-TestMessage
        New-TestRecord 1 | Add-CapnpStruct -Message $m
        ($m | Complete-CapnpMappedMessage -NoFlush).RecordCount | Should -Be 1
        (ConvertFrom-CapnpFile $m.Path).records.Count | Should -Be 1
    }

    It 'does not complete with -WhatIf' {
        $m = New-TestMessage
        $m | Complete-CapnpMappedMessage -WhatIf | Should -BeNullOrEmpty
        $m.State | Should -Be 'Open'
        $m.Dispose()
    }

    It 'keeps every record when disposed without completing' {
        $m = New-TestMessage
        0..4 | ForEach-Object { New-TestRecord $_ } | Add-CapnpStruct -Message $m
        $m.Dispose()
        (Get-CapnpMessageInfo $m.Path).State | Should -Be 'Checkpoint'
        (ConvertFrom-CapnpFile $m.Path).records.Count | Should -Be 5
    }
}

Describe 'Save-CapnpMappedMessage' {
    It 'writes a checkpoint that Get-CapnpMessageInfo reports' {
        $m = New-TestMessage
        0..6 | ForEach-Object { New-TestRecord $_ } | Add-CapnpStruct -Message $m
        $m | Save-CapnpMappedMessage -PassThru | Should -Be $m
        $m.LastCheckpoint.RecordCount | Should -Be 7
        $info = Get-CapnpMessageInfo $m.Path
        $info.State | Should -Be 'Checkpoint'
        $info.RecordCount | Should -Be 7
        $info.SlackBytes | Should -BeGreaterThan 0
        $m.Dispose()
    }

    It 'writes nothing with -WhatIf' {
        $m = New-TestMessage
        $first = $m.LastCheckpoint.Sequence # the checkpoint every new message starts with
        Save-CapnpMappedMessage -Message $m -WhatIf
        $m.LastCheckpoint.Sequence | Should -Be $first
        $m.Dispose()
    }
}

Describe 'Repair-CapnpMappedMessage' {
    It 'restores a killed writer''s file to its last checkpoint' {
        $file = Join-Path $TestDrive 'killed.bin'
        $script = @"
Import-Module '$ModuleManifest'
`$s = Import-CapnpSchema -LiteralPath '$SchemaPath'
`$m = New-CapnpMappedMessage -Path '$file' -Schema `$s -RootType Batch -Reserve 256MB
1..100 | ForEach-Object { [pscustomobject]@{ id = `$_; name = "r`$_" } } | Add-CapnpStruct -Message `$m
Save-CapnpMappedMessage -Message `$m
101..150 | ForEach-Object { [pscustomobject]@{ id = `$_; name = "r`$_" } } | Add-CapnpStruct -Message `$m
Stop-Process -Id `$PID -Force
"@
        $pwsh = [Environment]::ProcessPath
        $prefix = @(if ((Split-Path -Leaf $pwsh) -in 'dotnet', 'dotnet.exe') { Join-Path $PSHOME 'pwsh.dll' })
        & $pwsh @prefix -NoProfile -NonInteractive -Command $script
        $file | Should -Exist
        $result = Repair-CapnpMappedMessage -Path $file
        $result | Should -BeOfType CapMap.Messages.RepairResult
        $result.RecordCount | Should -Be 100
        $result.BytesAfter | Should -Be (Get-Item $file).Length
        ($result | Out-String -Width 250) | Should -Match 'Records'
        $json = ConvertFrom-CapnpFile $file
        $json.records.Count | Should -Be 100
        $json.records[99].name | Should -Be 'r100'
    }

    It 'changes nothing with -WhatIf' {
        $m = New-TestMessage -Property @{ source = 'whatif' }
        $null = $m | Save-CapnpMappedMessage
        $m.Dispose()
        $before = Get-Bytes $m.Path
        Repair-CapnpMappedMessage -Path $m.Path -WhatIf | Should -BeNullOrEmpty
        Get-Bytes $m.Path | Should -Be $before
    }

    It 'reports a file without a CapMap checkpoint as RepairFailed' {
        $file = Join-Path $TestDrive 'foreign.bin'
        [IO.File]::WriteAllBytes($file, [byte[]]::new(8192))
        { Repair-CapnpMappedMessage -Path $file -ErrorAction Stop } | Should -Throw -ErrorId 'RepairFailed,*'
    }

    It 'reports a file being written as FileLocked' {
        $m = New-TestMessage
        { Repair-CapnpMappedMessage -Path $m.Path -ErrorAction Stop } | Should -Throw -ErrorId 'FileLocked,*'
        $m.Dispose()
    }

    It 'reports a missing file as PathNotFound' {
        { Repair-CapnpMappedMessage -Path (Join-Path $TestDrive 'gone.bin') -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
    }
}

Describe 'Resize-CapnpMappedMessage' {
    BeforeAll {
        function New-SlackFile([string] $Name) {
            $m = New-TestMessage -Name $Name
            0..2 | ForEach-Object { New-TestRecord $_ } | Add-CapnpStruct -Message $m
            $bytes = ($m | Complete-CapnpMappedMessage).Bytes
            $fs = [IO.File]::Open($m.Path, 'Open', 'ReadWrite')
            try { $fs.SetLength($bytes + 12288) } finally { $fs.Dispose() }
            $m.Path
        }
    }

    It 'cuts the slack after the message' {
        $file = New-SlackFile 'slack.bin'
        (Get-CapnpMessageInfo $file).SlackBytes | Should -Be 12288
        $result = Resize-CapnpMappedMessage -Path $file -Confirm:$false
        $result.BytesRemoved | Should -Be 12288
        $result.BytesAfter | Should -Be (Get-Item $file).Length
        ($result | Out-String -Width 250) | Should -Match 'BytesRemoved'
        (ConvertFrom-CapnpFile $file).records.Count | Should -Be 3
        (Resize-CapnpMappedMessage -Path $file -Confirm:$false).BytesRemoved | Should -Be 0
    }

    It 'changes nothing with -WhatIf' {
        $file = New-SlackFile 'slack-whatif.bin'
        $length = (Get-Item $file).Length
        Resize-CapnpMappedMessage -Path $file -WhatIf | Should -BeNullOrEmpty
        (Get-Item $file).Length | Should -Be $length
    }

    It 'refuses a truncated file (ResizeFailed)' {
        $file = New-SlackFile 'truncated.bin'
        $fs = [IO.File]::Open($file, 'Open', 'ReadWrite')
        try { $fs.SetLength(4200) } finally { $fs.Dispose() }
        { Resize-CapnpMappedMessage -Path $file -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ResizeFailed,*'
    }

    It 'refuses a file that is no message (InvalidMessageFile)' {
        $file = Join-Path $TestDrive 'text.txt'
        Set-Content -LiteralPath $file -Value ('x' * 100)
        { Resize-CapnpMappedMessage -Path $file -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMessageFile,*'
    }
}

Describe 'Get-CapnpMessageInfo' {
    It 'reports the segment table, sizes and state of a complete file' {
        $m = New-TestMessage
        0..9 | ForEach-Object { New-TestRecord $_ } | Add-CapnpStruct -Message $m
        $summary = $m | Complete-CapnpMappedMessage
        $info = Get-CapnpMessageInfo -LiteralPath $m.Path
        $info | Should -BeOfType CapMap.PowerShell.CapnpMessageInfo
        $info.State | Should -Be 'Complete'
        $info.FileBytes | Should -Be $summary.Bytes
        $info.MessageBytes | Should -Be $summary.Bytes
        $info.SlackBytes | Should -Be 0
        $info.RecordCount | Should -Be 10
        $info.SegmentCount | Should -Be $summary.SegmentCount
        $info.Segments.Words | Should -Be $summary.SegmentWords
        $info.Segments[0].Offset | Should -Be $info.TableBytes
        $text = $info | Out-String -Width 250
        $text | Should -Match 'State'
        $text | Should -Match 'Segments'
        $text | Should -Match 'words at byte'
    }

    It 'reads a file another writer made as state Unknown' {
        $file = Join-Path $TestDrive 'foreign-msg.bin'
        $null = & bash -c 'echo "(source = \"x\")" | capnp convert text:binary "$0" Batch > "$1"' $SchemaPath $file
        $info = Get-CapnpMessageInfo $file
        $info.State | Should -Be 'Unknown'
        $info.SegmentCount | Should -Be 1
    }

    It 'expands wildcards' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'wild')
        foreach ($n in 'a', 'b') {
            $m = New-CapnpMappedMessage -Path (Join-Path $dir "$n.bin") -Schema $Schema -RootType Batch
            $null = $m | Complete-CapnpMappedMessage
        }
        @(Get-CapnpMessageInfo -Path (Join-Path $dir '*.bin')).Count | Should -Be 2
    }

    It 'reports a file that is no message as InvalidMessageFile and a missing one as PathNotFound' {
        $file = Join-Path $TestDrive 'notmsg.txt'
        Set-Content -LiteralPath $file -Value ('y' * 64)
        { Get-CapnpMessageInfo -Path $file -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMessageFile,*'
        { Get-CapnpMessageInfo -Path (Join-Path $TestDrive 'nothing*.bin') -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
        { Get-CapnpMessageInfo -Path $TestDrive -ErrorAction Stop } | Should -Throw -ErrorId 'PathIsDirectory,*'
    }
}

Describe 'Test-CapMapPlatform' {
    It 'returns the full report for a directory' {
        $report = Test-CapMapPlatform -Path $TestDrive
        $report | Should -BeOfType CapMap.Platform.PlatformReport
        $report.IsSupported | Should -BeTrue
        $report.GrowOnFaultWorks | Should -BeTrue
        $report.Directory | Should -Be ([IO.Path]::GetFullPath($TestDrive))
        $text = $report | Out-String -Width 250
        $text | Should -Match 'Supported'
        $text | Should -Match 'FileSystemType'
    }

    It 'returns only $true or $false with -Quiet, for the current location by default' {
        Push-Location $TestDrive
        try { Test-CapMapPlatform -Quiet | Should -BeTrue } finally { Pop-Location }
    }

    It 'reports a missing directory as PathNotFound' {
        { Test-CapMapPlatform -Path (Join-Path $TestDrive 'nodir') } | Should -Throw -ErrorId 'PathNotFound,*'
    }
}
