#Requires -Version 7.4
# The schema can change within a file (issue 21, item 1): each message carries its own schema, so a record that does
# not fit the schema inferred so far ends the message, and writing goes on in a next message under the widened
# schema; -Append without -Schema writes the objects under their own. Every value comes back with its type, capnp
# reads each message by that message's own schema text, and a refused append leaves the file byte for byte.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'StockReaders.ps1')

    # capnp convert of every message of the file, each by its own carried schema (Get-CapnpSchema -MessageIndex -AsText):
    # one JSON object per message.
    function ConvertFrom-EachCarriedSchema([string] $File) {
        $infos = @(Get-CapnpMessageInfo -LiteralPath $File)
        $bytes = [IO.File]::ReadAllBytes($File)
        for ($i = 0; $i -lt $infos.Count; $i++) {
            $schemaFile = Join-Path $TestDrive "m$i.capnp"
            Get-CapnpSchema -LiteralPath $File -MessageIndex $i -AsText -ErrorAction Stop | Set-Content -LiteralPath $schemaFile
            $one = Join-Path $TestDrive "m$i.bin"
            [IO.File]::WriteAllBytes($one, $bytes[$infos[$i].Offset..($infos[$i].Offset + $infos[$i].MessageBytes - 1)])
            ConvertFrom-CapnpFile -File $one -Type Batch -SchemaFile $schemaFile
        }
    }

    function Get-Hash([string] $File) { (Get-FileHash -LiteralPath $File -Algorithm SHA256).Hash }

    # The first 1 MiB of a file (its header, schema and records when it is small), as Base64 text.
    function Get-Head([string] $File) {
        $stream = [IO.File]::OpenRead($File)
        try {
            $buffer = [byte[]]::new(1MB)
            $read = $stream.Read($buffer, 0, $buffer.Length)
            [Convert]::ToBase64String($buffer, 0, $read)
        } finally { $stream.Dispose() }
    }
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'A shape that does not fit goes on in a next message' {
    It 'the -Append of a new shape round-trips every value with its type, and capnp reads each message by its own schema' {
        $file = Join-Path $TestDrive 'app.bin'
        1..3 | ForEach-Object { [pscustomobject]@{ id = $_; name = "n$_" } } | Export-CapnpMessage -Path $file
        $before = [IO.File]::ReadAllBytes($file)
        $verbose = 6..7 | ForEach-Object { [pscustomobject]@{ host = "h$_"; cpu = 1.5 * $_ } } |
            Export-CapnpMessage -Path $file -Append -Verbose -ErrorVariable failed -WarningVariable warned -WarningAction SilentlyContinue 4>&1
        $failed | Should -BeNullOrEmpty
        $warned | Should -BeNullOrEmpty
        @($verbose | Where-Object { "$_" -match 'new message under their own schema' }).Count | Should -Be 1

        Test-FileStartsWith $file $before | Should -BeTrue
        $info = @(Get-CapnpMessageInfo -LiteralPath $file)
        $info.Count | Should -Be 2
        $info.RecordCount | Should -Be @(3, 2)

        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 5
        $back[0].id | Should -BeOfType [int]
        $back[2].name | Should -BeExactly 'n3'
        $back[3].host | Should -BeExactly 'h6'
        $back[4].cpu | Should -BeOfType [double]
        $back[4].cpu | Should -Be 10.5
        $back[3].PSObject.Properties.Name | Should -Be @('host', 'cpu')

        $json = @(ConvertFrom-EachCarriedSchema $file)
        $json[0].records.name | Should -Be @('n1', 'n2', 'n3')
        $json[1].records.host | Should -Be @('h6', 'h7')
        $json[1].records[1].cpu | Should -Be 10.5
    }

    It 'New-CapnpMappedMessage -Append and Add-CapnpStruct write a new shape under its own schema' {
        $file = Join-Path $TestDrive 'app-new.bin'
        1..2 | ForEach-Object { [pscustomobject]@{ id = $_ } } | Export-CapnpMessage -Path $file
        $m = New-CapnpMappedMessage -Path $file -Append
        [pscustomobject]@{ when = [datetime]::new(2026, 1, 2, 0, 0, 0, [DateTimeKind]::Utc); ok = $true } | Add-CapnpStruct -Message $m
        Complete-CapnpMappedMessage $m | Out-Null
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 3
        $back[2].when | Should -BeOfType [datetime]
        $back[2].ok | Should -BeTrue
        @(ConvertFrom-EachCarriedSchema $file)[1].records[0].ok | Should -BeTrue
    }

    It 'a type change after the sample keeps ints as ints and strings as strings, with no error' {
        $file = Join-Path $TestDrive 'typechange.bin'
        $verbose = 1..600 | ForEach-Object { [pscustomobject]@{ v = if ($_ -le 500) { $_ } else { "s$_" } } } |
            Export-CapnpMessage -Path $file -SampleSize 500 -Verbose -ErrorVariable failed 4>&1
        $failed | Should -BeNullOrEmpty
        @($verbose | Where-Object { "$_" -match 'Record 500 did not fit' }).Count | Should -Be 1
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 600
        $back[0].v | Should -BeOfType [int]
        $back[499].v | Should -Be 500
        $back[500].v | Should -BeOfType [string]
        $back[599].v | Should -BeExactly 's600'
        (Get-CapnpMessageInfo -LiteralPath $file).RecordCount | Should -Be @(500, 100)
        $json = @(ConvertFrom-EachCarriedSchema $file)
        $json[0].records[499].v | Should -Be 500
        $json[1].records[99].v.string | Should -BeExactly 's600' # ints and text: a union of the two kinds
    }

    It 'a property first seen after the sample is kept, with no warning' {
        $file = Join-Path $TestDrive 'late.bin'
        $records = @(@{ a = 1 }) + (2..5 | ForEach-Object { [ordered]@{ a = $_; late = "x$_" } })
        $records | Export-CapnpMessage -Path $file -SampleSize 1 -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -BeNullOrEmpty
        $back = @(Import-CapnpMessage -Path $file)
        $back.a | Should -Be @(1, 2, 3, 4, 5)
        @($back[0].Keys) | Should -Be @('a') # dictionaries come back as dictionaries, each with its own keys
        $back[4].late | Should -BeExactly 'x5'
        @(ConvertFrom-EachCarriedSchema $file)[1].records[3].late | Should -BeExactly 'x5'
    }

    It 'records with a property of their own each are one message of linear size, each with exactly its own properties' {
        # Issue 22: 1,300 records keyed by id made 301 messages and 160 MB (a struct of every key seen, then a schema
        # change per record). Keys few records have are entries of one field (object-conversion.md, "Sparse properties").
        $file = Join-Path $TestDrive 'keyed.bin'
        1..1300 | ForEach-Object { [pscustomobject]@{ id = $_; "k$_" = $_ } } | Export-CapnpMessage -Path $file
        @(Get-CapnpMessageInfo -LiteralPath $file).Count | Should -BeLessOrEqual 2
        (Get-Item -LiteralPath $file).Length | Should -BeLessThan 150KB # about 48 bytes a record and the schema
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 1300
        @($back[1299].PSObject.Properties.Name) | Should -Be @('id', 'k1300')
        $back[1299].k1300 | Should -BeOfType [int]
        $entry = @(@(ConvertFrom-EachCarriedSchema $file)[0].records[4].otherProperties)
        $entry.key | Should -BeExactly 'k5'
        $entry.value | Should -Be 5
    }

    It 'a shape whose new properties keep coming after the sample stops changing the schema at the second change' {
        $file = Join-Path $TestDrive 'late-keys.bin'
        1..40 | ForEach-Object { [ordered]@{ id = $_; "k$_" = $_ } } | Export-CapnpMessage -Path $file -SampleSize 3
        # The sample's schema, one change that adds k4 as before, then the one whose new keys are entries: three messages, not 38.
        @(Get-CapnpMessageInfo -LiteralPath $file).Count | Should -Be 3
        $back = @(Import-CapnpMessage -Path $file)
        @($back[39].Keys) | Should -Be @('id', 'k40')
        $back[39].k40 | Should -Be 40
    }

    It 'a property that is null throughout the sample takes the type of its first value' {
        $file = Join-Path $TestDrive 'nulls.bin'
        1..20 | ForEach-Object { [pscustomobject]@{ n = $_; code = if ($_ -gt 10) { $_ * 100 } } } | Export-CapnpMessage -Path $file -SampleSize 10
        Get-CapnpSchema -LiteralPath $file -MessageIndex 0 -AsText | Should -Match 'code @\d+ :Void'
        $back = @(Import-CapnpMessage -Path $file)
        $back[9].code | Should -BeNullOrEmpty
        $back[10].code | Should -BeOfType [int]
        $back[19].code | Should -Be 2000
        @(Get-CapnpMessageInfo -LiteralPath $file).Count | Should -Be 2
        @(ConvertFrom-EachCarriedSchema $file)[1].records[9].code | Should -Be 2000
    }

    It 'a property that is only ever null is Void, which capnp, capnp-es and CapMap read alike' {
        $file = Join-Path $TestDrive 'void.bin'
        1..3 | ForEach-Object { [pscustomobject]@{ n = $_; never = $null } } | Export-CapnpMessage -Path $file
        Get-CapnpSchema -LiteralPath $file -AsText | Should -Match 'never @\d+ :Void'
        Assert-StockReadersAgree -File $file
        @(Import-CapnpMessage -Path $file).never | Should -Be @($null, $null, $null)
    }

    It 'Add-CapnpStruct goes on in a next message when the shape changes after the sample' {
        $file = Join-Path $TestDrive 'add.bin'
        $m = New-CapnpMappedMessage -Path $file -SampleSize 2
        1..3 | ForEach-Object { [pscustomobject]@{ a = $_ } } | Add-CapnpStruct -Message $m
        [pscustomobject]@{ a = 'x'; q = 1 } | Add-CapnpStruct -Message $m -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        $m.Schema.RootType | Should -Be 'Batch'
        Complete-CapnpMappedMessage $m | Out-Null
        $back = @(Import-CapnpMessage -Path $file)
        $back.a | Should -Be @(1, 2, 3, 'x')
        $back[3].q | Should -Be 1
    }
}

Describe 'A refused append leaves the file byte for byte' {
    BeforeAll {
        $script:Explicit = Join-Path $TestDrive 'explicit.bin'
        0..1 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $Explicit -Schema $Schema -RootType Batch
    }

    It 'a -Schema that does not fit the file (SchemaMismatch)' {
        $file = Join-Path $TestDrive 'mismatch.bin'
        [pscustomobject]@{ Id = 1 } | Export-CapnpMessage -Path $file
        $hash = Get-Hash $file
        { New-TestRecord 1 | Export-CapnpMessage -Path $file -Append -Schema $Schema -RootType Batch } | Should -Throw -ErrorId 'SchemaMismatch,*'
        Get-Hash $file | Should -Be $hash
    }

    It 'a root value that does not convert (PropertyConversionFailed)' {
        $hash = Get-Hash $Explicit
        { New-TestRecord 2 | Export-CapnpMessage -Path $Explicit -Append -Schema $Schema -RootType Batch -Property @{ source = @{ nested = 1 } } -Strict } |
            Should -Throw -ErrorId 'PropertyConversionFailed,*'
        Get-Hash $Explicit | Should -Be $hash
    }

    It 'records that all fail to convert under the file''s own schema (no empty message)' {
        $hash = Get-Hash $Explicit
        [pscustomobject]@{ pid = 'not a number' } | Export-CapnpMessage -Path $Explicit -Append -ErrorVariable failed -ErrorAction SilentlyContinue
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RecordConversionFailed,*'
        Get-Hash $Explicit | Should -Be $hash
        { [pscustomobject]@{ pid = 'not a number' } | Export-CapnpMessage -Path $Explicit -Append -ErrorAction Stop } | Should -Throw -ErrorId 'RecordConversionFailed,*'
        Get-Hash $Explicit | Should -Be $hash
        @(Get-CapnpMessageInfo -LiteralPath $Explicit).Count | Should -Be 1
    }

    It 'a file whose last message is still at a checkpoint (FileAccessFailed)' {
        $file = Join-Path $TestDrive 'open.bin'
        $m = New-CapnpMappedMessage -Path $file -Schema $Schema -RootType Batch
        New-TestRecord 1 | Add-CapnpStruct -Message $m
        Close-CapnpMappedMessage $m
        # A file at a checkpoint keeps its reserved apparent size (sparse, gigabytes): its length, time and data
        # region are compared instead of hashing every byte of the hole.
        $before = Get-Item -LiteralPath $file
        $head = Get-Head $file
        { New-TestRecord 2 | Export-CapnpMessage -Path $file -Append -Schema $Schema -RootType Batch } | Should -Throw -ErrorId 'FileAccessFailed,*'
        $after = Get-Item -LiteralPath $file
        $after.Length | Should -Be $before.Length
        $after.LastWriteTimeUtc | Should -Be $before.LastWriteTimeUtc
        Get-Head $file | Should -BeExactly $head
    }
}
