#Requires -Version 7.4
# The smaller things of issue 21 (item 10), each as a user meets it: -RootType without -Schema, an unrelated
# -Schema, a file that is no Cap'n Proto message, the platform report's labels, $null given to Export, and
# -MessageIndex on Import. docs/cmdlets.md documents each behaviour and its ErrorId.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Three rows with no -Schema: the file carries an inferred schema (root Batch, records of struct Record).
    function New-InferredFile([string] $Name) {
        $file = Join-Path $TestDrive $Name
        1..3 | ForEach-Object { [pscustomobject]@{ id = $_; name = "n$_" } } | Export-CapnpMessage -Path $file -Force
        $file
    }
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'Import-CapnpMessage -RootType without -Schema' {
    It 'reports a name the carried schema does not have as RootTypeNotFound, listing its structs, and outputs nothing' {
        $file = New-InferredFile 'roottype.bin'
        $rows = @(Import-CapnpMessage -Path $file -RootType Nope -ErrorVariable errs -ErrorAction SilentlyContinue)
        $rows.Count | Should -Be 0
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'RootTypeNotFound,*'
        "$($errs[0])" | Should -Match "'Nope'"
        "$($errs[0])" | Should -Match 'Structs: Batch, Record'
    }

    It 'reads the root as the named struct of the carried schema, as capnp convert takes a type' {
        $file = Join-Path $TestDrive 'ops-roottype.bin'
        0..4 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch -Property @{ source = 'carried'; createdUnix = 8080 }
        # Named as the carried root: the same records as without -RootType.
        @(Import-CapnpMessage -Path $file -RootType Batch).id | Should -Be @(1000..1004)
        # Another struct of the same schema: the root read as a Host (no list, so the root itself), whose name is
        # Batch's first pointer (source) and whose port the low 16 bits of Batch's first data word (createdUnix).
        $asHost = @(Import-CapnpMessage -Path $file -RootType Host)
        $asHost.Count | Should -Be 1
        $asHost[0].name | Should -Be 'carried'
        $asHost[0].port | Should -Be 8080
    }
}

Describe 'Import-CapnpMessage -Schema that does not fit the file' {
    It 'is SchemaMismatch naming both roots when the file carries another struct of another layout, and outputs nothing' {
        $file = New-InferredFile 'unrelated.bin'
        $rows = @(Import-CapnpMessage -Path $file -Schema $Schema -RootType Batch -ErrorVariable errs -ErrorAction SilentlyContinue)
        $rows.Count | Should -Be 0
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'SchemaMismatch,*'
        $carried = Get-CapnpSchema -Path $file
        "$($errs[0])" | Should -Match ('@0x{0:x16}' -f $carried.GetStruct('Batch').Id)
        "$($errs[0])" | Should -Match ('@0x{0:x16}' -f $Schema.GetStruct('Batch').Id)
        "$($errs[0])" | Should -Match 'Message 0 of'
    }

    It 'keeps reading by the schema the file was written with, and by the .capnp text the file carries' {
        $file = New-InferredFile 'fits.bin'
        $text = Join-Path $TestDrive 'fits.capnp'
        Get-CapnpSchema -Path $file -AsText | Set-Content -LiteralPath $text
        @(Import-CapnpMessage -Path $file -Schema $text -RootType Batch).id | Should -Be @(1, 2, 3)
        $ops = Join-Path $TestDrive 'ops-fits.bin'
        0..2 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $ops -Schema $Schema -RootType Batch
        @(Import-CapnpMessage -Path $ops -Schema $SchemaPath -RootType Batch).id | Should -Be @(1000, 1001, 1002)
    }
}

Describe 'A file that is no Cap''n Proto message' {
    It 'is InvalidMessageFile saying so, with its first bytes, from <_>' -ForEach @('Get-CapnpMessageInfo', 'Import-CapnpMessage', 'Get-CapnpSchema') {
        $file = Join-Path $TestDrive 'notes.txt'
        'hello world, lorem ipsum' | Set-Content -LiteralPath $file
        $out = @(& $_ -Path $file -ErrorVariable errs -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMessageFile,*'
        "$($errs[0])" | Should -BeLike "'*notes.txt' is not a Cap'n Proto message (its first bytes are 68 65 6C 6C 6F 20 77 6F (`"hello wo`")).*"
        # The table's own complaint stays as the detail.
        "$($errs[0])" | Should -Match 'claims 1819043177 segments'
    }

    It 'is InvalidMessageFile for a file of zeros (an empty first segment), not an empty result, from <_>' -ForEach @('Get-CapnpMessageInfo', 'Import-CapnpMessage') {
        $file = Join-Path $TestDrive 'zeros.bin'
        [IO.File]::WriteAllBytes($file, [byte[]]::new(4096))
        $out = @(& $_ -Path $file -ErrorVariable errs -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMessageFile,*'
        "$($errs[0])" | Should -Match "is not a Cap'n Proto message \(its first bytes are 00 00 00 00 00 00 00 00\)"
    }
}

Describe 'Test-CapMapPlatform''s report' {
    It 'shows each value under the name of its property, so Where-Object finds what the view shows' {
        $report = Test-CapMapPlatform -Path $TestDrive
        $names = $report.PSObject.Properties.Name
        $labels = @(($report | Format-List | Out-String -Width 250) -split "`n" | Where-Object { $_ -match '^(\w+)\s+:' } | ForEach-Object { $Matches[1] })
        $labels.Count | Should -BeGreaterThan 10
        foreach ($label in $labels) { $names | Should -Contain $label -Because "the view shows '$label'" }
        $labels | Should -Contain 'IsSupported'
        @($report | Where-Object IsSupported).Count | Should -Be 1
    }
}

Describe 'Export-CapnpMessage given $null' {
    It 'refuses -InputObject $null as Export-Csv does, before any file is created' {
        $file = Join-Path $TestDrive 'null.bin'
        { Export-CapnpMessage -Path $file -InputObject $null } | Should -Throw -ErrorId 'ParameterArgumentValidationErrorNullNotAllowed,*'
        Test-Path -LiteralPath $file | Should -BeFalse
        { Export-CapnpMessage -Path $file -InputObject $null -Schema $Schema -RootType Batch } | Should -Throw -ErrorId 'ParameterArgumentValidationErrorNullNotAllowed,*'
        Test-Path -LiteralPath $file | Should -BeFalse
    }

    It 'reports a piped $null as Export-Csv does and writes the other objects' {
        $file = Join-Path $TestDrive 'piped-null.bin'
        [pscustomobject]@{ a = 1 }, $null, [pscustomobject]@{ a = 2 } | Export-CapnpMessage -Path $file -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationErrorNullNotAllowed,*'
        @(Import-CapnpMessage -Path $file).a | Should -Be @(1, 2)
    }

    It 'names no struct of an inferred schema for a $null element of an array given by name' {
        $file = Join-Path $TestDrive 'array-null.bin'
        Export-CapnpMessage -Path $file -InputObject @([pscustomobject]@{ a = 1 }, $null) -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'RecordConversionFailed,*'
        "$($errs[0])" | Should -Be "Record 1 for 'records' is null; a record must be an object, a hashtable or a value."
        @(Import-CapnpMessage -Path $file).a | Should -Be @(1)
    }
}

Describe 'Import-CapnpMessage -MessageIndex' {
    BeforeAll {
        # A stream of three messages: 3, 2 and 1 records (ids 1-3, 11-12, 21).
        $script:Stream = Join-Path $TestDrive 'stream.bin'
        1..3 | ForEach-Object { [pscustomobject]@{ id = $_ } } | Export-CapnpMessage -Path $Stream
        11..12 | ForEach-Object { [pscustomobject]@{ id = $_ } } | Export-CapnpMessage -Path $Stream -Append
        [pscustomobject]@{ id = 21 } | Export-CapnpMessage -Path $Stream -Append
        @(Get-CapnpMessageInfo -Path $Stream).RecordCount | Should -Be @(3, 2, 1)
    }

    It 'reads only the messages at the indexes Get-CapnpMessageInfo shows' {
        @(Import-CapnpMessage -Path $Stream -MessageIndex 1).id | Should -Be @(11, 12)
        @(Import-CapnpMessage -Path $Stream -Index 2).id | Should -Be @(21)
    }

    It 'reads them in file order, each once, whatever the order and repeats of the indexes' {
        @(Import-CapnpMessage -Path $Stream -MessageIndex 2, 0, 2).id | Should -Be @(1, 2, 3, 21)
    }

    It 'counts -Skip and -First over the elements of the selected messages together' {
        @(Import-CapnpMessage -Path $Stream -MessageIndex 0, 2 -Skip 2 -First 2).id | Should -Be @(3, 21)
        @(Import-CapnpMessage -Path $Stream -MessageIndex 1 -First 1).id | Should -Be @(11)
    }

    It 'reports an index the file does not have as MessageNotFound, before anything of that file, and goes on with the next file' {
        $short = New-InferredFile 'one-message.bin'
        $rows = @(Import-CapnpMessage -Path $short, $Stream -MessageIndex 0, 2 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'MessageNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($errs[0])" | Should -Match "one-message\.bin' holds 1 message\(s\), numbered 0 to 0 .*there is no message 2\."
        $rows.id | Should -Be @(1, 2, 3, 21)
    }

    It 'refuses a negative index when binding' {
        { Import-CapnpMessage -Path $Stream -MessageIndex -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'is the same ErrorId for Get-CapnpSchema -MessageIndex past the last message' {
        Get-CapnpSchema -Path $Stream -MessageIndex 3 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'MessageNotFound,*'
    }
}
